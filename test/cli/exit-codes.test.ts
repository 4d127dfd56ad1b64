// Exit codes: 0 all sent, 1 some recipients failed (a failed Status in a 200, or a refused chunk), 2 usage or
// validation, 3 outcome unknown (a 5xx or a timeout) — each with a report that says what happened.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  answerFor,
  credentials,
  dirWithUsers,
  phoneOf,
  readJournalLines,
  runCli,
  send,
  sendInTens,
  serve,
} from "./support.js";

/** Sends 30 generated recipients in 3 chunks of 10 to `url`, journaled to j.jsonl, and reads the journal back. */
async function sendThirty(url: string, ...extra: string[]) {
  const cwd = dirWithUsers(30);
  const result = await sendInTens({ cwd, url }, "--journal", "j.jsonl", ...extra);
  return { ...result, journal: readJournalLines(join(cwd, "j.jsonl")) };
}

const ok = (from: number) => ({
  answer: 200,
  body: answerFor(Array.from({ length: 10 }, (_, i) => phoneOf(from + i))),
});

describe("exit codes", () => {
  it("0 when every recipient was sent", async () => {
    const server = await serve([ok(0), ok(10), ok(20)]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Messages: 30 records returned: 0 delivered, 30 in transit, 0 failed");
    expect(result.stdout).toContain("Exit code 0: all sent:");
  });

  it("1 when a 200 holds a failed Status, listing that recipient with its CSV line", async () => {
    const chunk = Array.from({ length: 10 }, (_, i) => phoneOf(10 + i));
    const server = await serve([ok(0), { answer: 200, body: answerFor(chunk, [phoneOf(13)]) }, ok(20)]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Chunks: 3 of 3 sent, 0 failed, 0 unknown, 0 not sent.");
    expect(result.stdout).toContain(
      `Failed recipients (IP1 accepted the request, but these messages failed):\n  ${phoneOf(13)} (line 15): Status 51 Delivery to the GSM network failed\n`,
    );
    const outcome = result.journal.records.find((r) => r.type === "chunk" && r.chunk === 1);
    expect(outcome).toMatchObject({
      outcome: "sent",
      messages: { total: 10, inTransit: 9, failed: 1 },
      failedRecipients: [{ to: phoneOf(13), line: 15, status: 51 }],
    });
  });

  it("1 when IP1 refuses a chunk (403, no credits): nothing more is sent, and a resume can send the rest", async () => {
    const server = await serve([ok(0), { answer: 403, body: '{"Message":"Not enough credits"}' }]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(result.stdout).toContain("Chunks: 1 of 3 sent, 1 failed, 0 unknown, 1 not sent.");
    expect(result.stdout).toContain(
      "Refused chunks (nothing was sent; fix the cause, then --resume sends them):\n  chunk 1 (recipients 11–20, lines 12–21): IP1 answered 403: Not enough credits\n",
    );
    expect(result.stdout).toMatch(
      /Not sent: 1 chunk never went out \(the run stopped early\); send them with the same command and --resume .*j\.jsonl\./,
    );
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

  it("3 when IP1 answers 5xx: the chunk may have been sent, and the report says to check before resending", async () => {
    const server = await serve([ok(0), { answer: 503, body: "<html><body>Service Unavailable</body></html>" }]);
    const result = await sendThirty(server.url);
    expect(result.code).toBe(3);
    expect(server.requests).toHaveLength(2); // no new chunk starts after an unknown outcome, and no retry
    expect(result.stdout).toContain("Chunks: 1 of 3 sent, 0 failed, 1 unknown, 1 not sent.");
    expect(result.stdout).toContain(
      "Outcome unknown (these recipients may or may not have been texted):\n  chunk 1 (recipients 11–20, lines 12–21): IP1 answered 503: Service Unavailable",
    );
    expect(result.stdout).toMatch(
      /Check in IP1's portal whether messages went to these recipients; if they did not, send them with the same command and --resume .*j\.jsonl --force\./,
    );
    expect(result.stdout).toContain("Exit code 3: unknown: some recipients may or may not have been texted");
  });

  it("3 when IP1 does not answer within --timeout-ms", async () => {
    const server = await serve([ok(0), { hang: true }]);
    const result = await sendThirty(server.url, "--timeout-ms", "300");
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("IP1 did not answer within 300 ms.");
    expect(result.journal.records.find((r) => r.type === "chunk" && r.chunk === 1)).toMatchObject({
      outcome: "unknown",
      error: { name: "Ip1TimeoutError" },
    });
  });
});
