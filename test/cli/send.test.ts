// Sending: to the shared Prism mock with --base-url and fake credentials, what goes on the wire, the report, the
// credential errors, and that credentials never show up in any output or in the ledger.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { suitePrism } from "../support/suite-prism.js";
import { answerFor, credentials, fixtures, runCli, send, serve, workDir } from "./support.js";

const prismUrl = await suitePrism();

describe("a send", () => {
  // Prism answers every request with the spec's example records, whose phones are not ours: so the report shows the
  // recipients without a record (exit 1), and the example's records as unexpected.
  it("to the Prism mock with --base-url: a report, the default ledger, and never the API key", async () => {
    const cwd = workDir();
    const result = await runCli([...send, "--users", join(fixtures, "quoted-one-line.csv"), "--base-url", prismUrl], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(1);
    // The default ledger: $XDG_STATE_HOME/ip1-nki/ledger.sqlite (support.ts points XDG_STATE_HOME into the test's cwd).
    const ledger = join(cwd, ".state", "ip1-nki", "ledger.sqlite");
    expect(result.stdout).toContain(
      `Sending to ${prismUrl}: 4 recipients from ${join(fixtures, "quoted-one-line.csv")} (NKI 42, round "default").`,
    );
    expect(result.stdout).toContain("Recipients: 1 of 4 sent, 3 failed, 0 refused by IP1, 0 unknown");
    expect(result.stdout).toContain(`Ledger: ${ledger}\nExit code 1: finished`);
    const everything = result.stdout + result.stderr + readFileSync(ledger, "latin1");
    expect(everything).not.toContain(credentials.IP1_API_KEY);
    expect(everything).not.toContain(btoa(`${credentials.IP1_ACCOUNT}:${credentials.IP1_API_KEY}`));
  });

  it("puts From, Message, Email and every user field on the wire, with Bearer auth from IP1_TOKEN", async () => {
    const server = await serve({ answer: 200, body: answerFor(["+46701234567", "+46701234568"]) });
    const result = await runCli(
      [...send, "--to", "+46701234567,Anna,Svensson,anna@example.se", "--to", "+46701234568,Bo", "--email"],
      { env: { IP1_TOKEN: "cli-test-TOKEN-5555", IP1_BASE_URL: server.url } },
    );
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.url).toBe("/api/nkis/42/users/send");
    expect(request?.headers.authorization).toBe("Bearer cli-test-TOKEN-5555");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      From: "Acme",
      Message: "Hur nöjd är du med ditt besök?",
      Email: true,
      Users: [
        { Phone: "+46701234567", FirstName: "Anna", LastName: "Svensson", Email: "anna@example.se" },
        { Phone: "+46701234568", FirstName: "Bo" },
      ],
    });
    expect(result.stdout + result.stderr).not.toContain("cli-test-TOKEN-5555");
  });

  it("--json reports every recipient as one document, with IP1's ID and BundleID", async () => {
    const server = await serve({
      answer: 200,
      body: JSON.stringify([{ ID: "88", BundleID: "7", To: "46701234567", Status: 0 }]),
    });
    const cwd = workDir();
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--json", "--ledger", "j.sqlite"], {
      env: { ...credentials, IP1_BASE_URL: server.url },
      cwd,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      exitCode: 0,
      dryRun: false,
      recipients: { total: 1, sent: 1, failed: 0, refused: 0, unknown: 0, held: 0, "in-flight": 0, "not-sent": 0 },
      ledger: join(cwd, "j.sqlite"),
      target: server.url,
      round: "default",
      texts: [{ phone: "+46701234567", name: "Anna", state: "sent", ip1: { id: "88", bundleId: "7", status: 0 } }],
    });
  });
});

describe("credentials", () => {
  it.each([
    [{}, "no IP1 credentials are set"],
    [{ IP1_ACCOUNT: "ip1-12345" }, "IP1_API_KEY is not set (IP1_ACCOUNT is)"],
    [{ IP1_API_KEY: "cli-test-SECRET-7777" }, "IP1_ACCOUNT is not set (IP1_API_KEY is)"],
  ])(
    "without --mock and without credentials (%j) it is exit 2, naming the variables and --mock",
    async (env, missing) => {
      const cwd = workDir();
      const result = await runCli([...send, "--to", "+46701234567,Anna"], { env, cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `ip1-nki: Cannot send: ${missing}. Set IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN, in the environment; ` +
          "or add --mock to try it against a local mock of the API, or --dry-run to only check the input.\n",
      );
      expect(result.stderr).not.toContain("cli-test-SECRET-7777");
      expect(readdirSync(cwd)).toEqual([]); // no ledger opened: nothing was attempted
    },
  );

  it("refuses to send credentials over plain http to a non-loopback host, before opening the ledger", async () => {
    const cwd = workDir();
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--base-url", "http://example.com"], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Refusing to send IP1 credentials to http://example.com");
    expect(readdirSync(cwd)).toEqual([]);
  });
});
