// Each Ip1ConfigurationError code: the rule it names, the fields concerned (names, never values), and a message that
// says the field, the problem and the fix. A caller (the CLI) can word the error itself from code and fields alone.
import { createIp1Client, type Ip1ClientOptions, type Ip1ConfigurationCode, Ip1ConfigurationError } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { body, echoRecipients, rejectionOf, scriptedFetch, testClient } from "./support.js";

const secret = "SECRET-never-shown-9f3a";
const baseUrl = "https://api.test";

interface Case {
  code: Ip1ConfigurationCode;
  options: Ip1ClientOptions;
  fields: string[];
  /** The field, the problem and the fix, each as the message must say it. */
  says: [RegExp, RegExp, RegExp];
}

const cases: [string, Case][] = [
  [
    "no credential anywhere",
    {
      code: "missing-credentials",
      options: { env: {}, baseUrl },
      fields: [],
      says: [
        /^IP1 credentials/,
        /missing/,
        /Pass \{ account, apiKey \} or \{ token \}.*set IP1_ACCOUNT and IP1_API_KEY/,
      ],
    },
  ],
  [
    "IP1_ACCOUNT without IP1_API_KEY in the environment",
    {
      code: "incomplete-credentials",
      options: { env: { IP1_ACCOUNT: "ip1-12345" }, baseUrl },
      fields: ["IP1_API_KEY", "IP1_ACCOUNT"],
      says: [/^IP1 apiKey/, /missing/, /set IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN, in the environment/],
    },
  ],
  [
    "apiKey without account in the options",
    {
      code: "incomplete-credentials",
      options: { apiKey: secret, env: { IP1_ACCOUNT: "ip1-12345" }, baseUrl },
      fields: ["account", "apiKey"],
      says: [
        /^IP1 account/,
        /never half from each \(the options give apiKey, so IP1_ACCOUNT/,
        /Pass \{ account, apiKey \}/,
      ],
    },
  ],
  [
    "an Authorization header with a token",
    {
      code: "both-credentials",
      options: { headers: { Authorization: `Bearer ${secret}` }, token: secret, env: {}, baseUrl },
      fields: ["headers.Authorization", "token"],
      says: [/headers\.Authorization and token/, /two credentials are ambiguous/, /Give one/],
    },
  ],
  [
    "a token with a newline",
    {
      code: "invalid-credential",
      options: { env: { IP1_TOKEN: `tok\n${secret}` }, baseUrl },
      fields: ["IP1_TOKEN"],
      says: [/^IP1_TOKEN \(environment\)/, /cannot be sent in a header: it holds a control character/, /Check how/],
    },
  ],
  [
    "an account id with a colon",
    {
      code: "invalid-credential",
      options: { account: "a:b", apiKey: secret, env: {}, baseUrl },
      fields: ["account"],
      says: [/^account/, /must not contain ":"/, /\(Basic auth\)/],
    },
  ],
  [
    "an empty Authorization header",
    {
      code: "invalid-credential",
      options: { headers: { Authorization: "" }, env: {}, baseUrl },
      fields: ["headers.Authorization"],
      says: [/^headers\.Authorization/, /is empty/, /give the credential/],
    },
  ],
  [
    "a base URL that is not a URL",
    {
      code: "invalid-base-url",
      options: { token: secret, env: {}, baseUrl: "api.ip1sms.com" },
      fields: ["baseUrl"],
      says: [/^The base URL/, /is not a valid URL/, /use an https URL such as https:\/\/api\.ip1sms\.com/],
    },
  ],
  [
    "plain http to a host that is not loopback",
    {
      code: "unsafe-base-url",
      options: { token: secret, env: { IP1_BASE_URL: "http://api.ip1sms.com" } },
      fields: ["baseUrl"],
      says: [/http:\/\/api\.ip1sms\.com/, /^Refusing to send IP1 credentials/, /use https/],
    },
  ],
  [
    "user info in the base URL",
    {
      code: "unsafe-base-url",
      options: { token: secret, env: {}, baseUrl: `https://user:${secret}@api.test` },
      fields: ["baseUrl"],
      says: [/^The base URL/, /must not contain user info/, /pass credentials as \{ account, apiKey \}/],
    },
  ],
  [
    "a timeout out of range, and a country that is not one",
    {
      code: "invalid-option",
      // biome-ignore lint/suspicious/noExplicitAny: the point is to pass what the types forbid
      options: { token: secret, env: {}, baseUrl, timeoutMs: 0, defaultCountry: "Sweden" as any },
      fields: ["timeoutMs", "defaultCountry"],
      says: [/timeoutMs .*; defaultCountry/, /^Invalid client options/, /must be a whole number of milliseconds/],
    },
  ],
];

describe("Ip1ConfigurationError codes", () => {
  it.each(cases)("%s", (_name, { code, options, fields, says }) => {
    let error: unknown;
    try {
      createIp1Client(options);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    const configuration = error as Ip1ConfigurationError;
    expect(configuration.code).toBe(code);
    expect(configuration.fields).toEqual(fields);
    expect(configuration.outcome).toBe("not-sent");
    for (const said of says) expect(configuration.message).toMatch(said);
    expect(`${configuration.message}${configuration.stack}${JSON.stringify(configuration)}`).not.toContain(secret);
    expect(configuration.toJSON()).toMatchObject({ code, fields });
  });

  it("request-not-made: a request that cannot be built, before any byte leaves", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ConfigurationError>(
      testClient(fetch).sendNki(42, body(), { headers: { Authorization: `Bearer tok\n${secret}` } }),
    );
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    expect(error.code).toBe("request-not-made");
    expect(error.message).toMatch(/^The request could not be made, so nothing was sent/);
    expect(`${error.message}${JSON.stringify(error)}`).not.toContain(secret);
    expect(requests).toHaveLength(0);
  });

  it("request-not-made: a port on fetch's bad-port list names baseUrl and says to use another port", async () => {
    const error = await rejectionOf<Ip1ConfigurationError>(
      testClient(globalThis.fetch, { baseUrl: "http://127.0.0.1:6000" }).sendNki(42, body()),
    );
    expect(error.code).toBe("request-not-made");
    expect(error.fields).toEqual(["baseUrl"]);
    expect(error.message).toMatch(/127\.0\.0\.1:6000: its port is on fetch's list of bad ports.*Use another port/);
  });

  it("defaults to invalid-option with no fields, for the settings of the mock and the ledger", () => {
    const error = new Ip1ConfigurationError("mock seed: must be a whole number.");
    expect(error.code).toBe("invalid-option");
    expect(error.fields).toEqual([]);
  });
});
