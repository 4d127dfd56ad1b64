// The CLI's connection takes the credential rule and the base URL from the library: it words the library's
// configuration error code for the command line (naming IP1_* and --mock), and never shows a value.
import { describe, expect, it } from "vitest";
import type { SendOptions } from "../../src/cli/args.js";
import { CliError } from "../../src/cli/cli-error.js";
import { prepareConnection } from "../../src/cli/connection.js";
import { ExitCode } from "../../src/cli/exit-codes.js";

const secret = "cli-connection-SECRET-4242";
const options = (given: Partial<SendOptions> = {}) => ({ mock: false, ...given }) as SendOptions;

function refusal(env: Record<string, string>, given?: Partial<SendOptions>): CliError {
  try {
    prepareConnection(options(given), env);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("prepareConnection accepted it");
}

describe("prepareConnection", () => {
  it("uses IP1_TOKEN when IP1_ACCOUNT is there without IP1_API_KEY: the library's rule, token wins", () => {
    const prepared = prepareConnection(options(), { IP1_TOKEN: secret, IP1_ACCOUNT: "ip1-12345" });
    expect(prepared.ledgerTarget).toBe("https://api.ip1sms.com");
  });

  it("records texts under the base URL the client uses: --base-url over IP1_BASE_URL over the default", () => {
    const env = { IP1_TOKEN: secret, IP1_BASE_URL: "http://127.0.0.1:4010/" };
    expect(prepareConnection(options(), env).ledgerTarget).toBe("http://127.0.0.1:4010");
    expect(prepareConnection(options({ baseUrl: "https://other.test/v1" }), env).ledgerTarget).toBe(
      "https://other.test",
    );
  });

  it("names the variable of a credential that cannot go in a header, exit 2, without its value", () => {
    const error = refusal({ IP1_TOKEN: `tok\n${secret}` });
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/^IP1_TOKEN \(environment\) cannot be sent in a header/);
    expect(`${error.message}${error.details.join("")}`).not.toContain(secret);
  });

  it("passes the library's base URL refusal through, before any credential is used", () => {
    const error = refusal({ IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: secret }, { baseUrl: "http://api.ip1sms.com" });
    expect(error.message).toMatch(/^Refusing to send IP1 credentials to http:\/\/api\.ip1sms\.com: use https/);
    expect(error.message).not.toContain(secret);
  });

  it("words missing and half-given credentials for the command line, pointing at --mock and --dry-run", () => {
    expect(refusal({}).message).toMatch(/^Cannot send: no IP1 credentials are set\. .* add --mock .* --dry-run/);
    expect(refusal({ IP1_API_KEY: secret }).message).toMatch(
      /^Cannot send: IP1_ACCOUNT is not set \(IP1_API_KEY is\)\. Set IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN/,
    );
    expect(refusal({ IP1_API_KEY: secret }).message).not.toContain(secret);
  });
});
