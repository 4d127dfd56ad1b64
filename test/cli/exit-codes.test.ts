// Exit codes: 0 everyone held as sent, 1 some recipients failed or were refused or not sent, 2 usage, validation or a
// refusal by the ledger, 3 outcome unknown (a 5xx, a timeout, or people held in flight) — each with a report that
// says what happened, and the ledger holding each person in the state the report names.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  answerFor,
  credentials,
  dirWithUsers,
  ledgerEntries,
  phoneOf,
  runCli,
  send,
  sendInTens,
  serve,
} from "./support.js";

/** Sends 30 generated recipients in 3 chunks of 10 to `url`, with the ledger j.sqlite, and reads the ledger back. */
async function sendThirty(url: string, ...extra: string[]) {
  const cwd = dirWithUsers(30);
  const result = await sendInTens({ cwd, url }, "--ledger", "j.sqlite", ...extra);
  const entries = await ledgerEntries(join(cwd, "j.sqlite"));
  return { ...result, cwd, stateOf: (phone: string) => entries.find((entry) => entry.phone === phone) };
}

const ok = (from: number) => ({
  answer: 200,
  body: answerFor(Array.from({ length: 10 }, (_, i) => phoneOf(from + i))),
});

describe("exit codes", () => {
  it("0 when every recipient was sent; 2 when the same command finds everyone held as sent", async () => {
    const server = await serve([ok(0), ok(10), ok(20)]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Recipients: 30 of 30 sent, 0 failed, 0 refused by IP1, 0 unknown");
    expect(result.stdout).toContain("Exit code 0: all sent:");
    const again = await sendInTens({ cwd: result.cwd, url: server.url }, "--ledger", "j.sqlite");
    expect(again.code).toBe(2);
    expect(again.stdout).toContain("30 held by the ledger (30 sent)");
    expect(server.requests).toHaveLength(3);
  });

  it("1 when a 200 holds a failed Status, listing that recipient with its CSV line", async () => {
    const chunk = Array.from({ length: 10 }, (_, i) => phoneOf(10 + i));
    const server = await serve([ok(0), { answer: 200, body: answerFor(chunk, [phoneOf(13)]) }, ok(20)]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Recipients: 29 of 30 sent, 1 failed,");
    expect(result.stdout).toContain(
      `Failed (IP1 answered, but not with a live record for these):\n  ${phoneOf(13)} (Namn13 Efternamn, 13, line 15): IP1's Status 51 (Delivery to the GSM network failed)\n`,
    );
    expect(result.stateOf(phoneOf(13))).toMatchObject({ state: "failed", ip1: { status: 51 }, line: 15 });
  });

  it("1 when IP1 refuses a chunk (403, no credits): nothing more is sent, and a rerun sends the rest", async () => {
    const server = await serve([ok(0), { answer: 403, body: '{"Message":"Not enough credits"}' }]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(result.stdout).toContain("Recipients: 10 of 30 sent, 0 failed, 10 refused by IP1, 0 unknown");
    expect(result.stdout).toContain(
      "Refused by IP1 (nothing was sent to them; fix the cause, then run the same command again):",
    );
    expect(result.stdout).toContain(
      "Not sent: 10 recipients (the run stopped before them); run the same command again",
    );
    expect(result.stateOf(phoneOf(10))?.state).toBe("refused");
    expect(result.stateOf(phoneOf(20))).toBeUndefined();
  });

  it("2 for invalid input, before anything is sent", async () => {
    const server = await serve(ok(0));
    const result = await runCli(
      [...send, "--to", "+46701234567,Anna", "--to", "+4670123456789012345,Bo", "--base-url", server.url],
      {
        env: credentials,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--to #2 (+4670123456789012345,Bo): Phone: not a valid phone number");
    expect(server.requests).toHaveLength(0);
  });

  it("3 when IP1 answers 5xx: the chunk may have been sent, and the report says how to settle it", async () => {
    const server = await serve([ok(0), { answer: 503, body: "<html><body>Service Unavailable</body></html>" }]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(3);
    expect(server.requests).toHaveLength(2); // no new chunk starts after an unknown outcome, and no retry
    expect(result.stdout).toContain("Recipients: 10 of 30 sent, 0 failed, 0 refused by IP1, 10 unknown");
    expect(result.stdout).toContain(
      `Outcome unknown:\n  ${phoneOf(10)} (Namn10 Efternamn, 10, line 12): Ip1ServerError`,
    );
    expect(result.stdout).toContain("no run texts them again unless you add --force");
    expect(result.stdout).toContain("ip1-nki ledger settle --ledger ");
    expect(result.stdout).toContain("Exit code 3: unknown: some recipients may or may not have been texted");
    expect(result.stateOf(phoneOf(10))?.state).toBe("unknown");
  });

  it("3 when IP1 does not answer within --timeout-ms", async () => {
    const server = await serve([ok(0), { hang: true }]);
    const result = await sendThirty(server.url, "--timeout-ms", "300");
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("IP1 did not answer within 300 ms.");
    expect(result.stateOf(phoneOf(10))).toMatchObject({
      state: "unknown",
      error: expect.stringContaining("Ip1TimeoutError"),
    });
  });
});
