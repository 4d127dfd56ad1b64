// Sending: to the shared Prism mock with --base-url and fake credentials, what goes on the wire, the report, the
// credential errors, and that credentials never show up in any output or journal.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { answerFor, credentials, fixtures, runCli, send, serve, workDir } from "./support.js";

const prismUrl = inject("prismUrl");

describe("a send", () => {
  // Prism answers every request with the spec's example records, whose phones are not ours: so the report shows the
  // recipients without a record (exit 1), and the example's records as unexpected.
  it("to the Prism mock with --base-url: a report and a journal, and never the API key", async () => {
    const cwd = workDir();
    const result = await runCli([...send, "--users", join(fixtures, "quoted-one-line.csv"), "--base-url", prismUrl], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(1);
    const [journal] = readdirSync(cwd);
    expect(journal).toMatch(/^ip1-nki-job-[0-9a-f]{16}\.jsonl$/);
    expect(result.stdout).toContain(
      `Sending to ${prismUrl}: 4 recipients from ${join(fixtures, "quoted-one-line.csv")}, 1 chunk to send now.`,
    );
    expect(result.stdout).toContain("Chunks: 1 of 1 sent, 0 failed, 0 unknown, 0 not sent.");
    expect(result.stdout).toContain("Recipients: 1 of 4 sent, 0 failed, 3 without a record,");
    expect(result.stdout).toContain(`Journal: ${join(cwd, journal ?? "")}\nExit code 1: finished`);
    const everything = result.stdout + result.stderr + readFileSync(join(cwd, journal ?? ""), "utf8");
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

  it("--json reports the whole job as one document", async () => {
    const server = await serve({ answer: 200, body: answerFor(["+46701234567"]) });
    const cwd = workDir();
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--json", "--journal", "j.jsonl"], {
      env: { ...credentials, IP1_BASE_URL: server.url },
      cwd,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      exitCode: 0,
      dryRun: false,
      recipients: { total: 1, sent: 1, failed: 0, noRecord: 0, refused: 0, unknown: 0, notSent: 0 },
      journal: join(cwd, "j.jsonl"),
      target: server.url,
      chunks: { total: 1, sent: 1, failed: 0, unknown: 0, notSent: 0 },
      messages: { total: 1, inTransit: 1, failed: 0 },
      failedRecipients: [],
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
      expect(readdirSync(cwd)).toEqual([]); // no journal: nothing was attempted
    },
  );

  it("refuses to send credentials over plain http to a non-loopback host, before writing a journal", async () => {
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
