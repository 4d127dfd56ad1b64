// --resume: sends only the chunks that never went out (never attempted, or refused by IP1), never an unknown chunk
// without --force, and refuses a journal of another job.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  accepted,
  dirWithUsers,
  phoneOf,
  phonesPerRequest,
  readJournalLines,
  sendInTens,
  serve,
  writeUsersCsv,
} from "./support.js";

const chunkPhones = (chunk: number) => Array.from({ length: 10 }, (_, i) => phoneOf(chunk * 10 + i));

/** A first run in which chunk 0 is sent, chunk 1 ends unknown (503), and chunk 2 never starts. */
async function interruptedRun() {
  const cwd = dirWithUsers(30);
  const first = await serve([accepted, { answer: 503, body: "" }]);
  const result = await sendInTens({ cwd, url: first.url }, "--journal", "j.jsonl");
  expect(result.code).toBe(3);
  expect(phonesPerRequest(first.requests)).toEqual([chunkPhones(0), chunkPhones(1)]);
  return cwd;
}

describe("--resume", () => {
  it("sends only the chunk that never went out, holds back the unknown one and says why (exit 3)", async () => {
    const cwd = await interruptedRun();
    const second = await serve(accepted);
    const result = await sendInTens({ cwd, url: second.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(3);
    expect(phonesPerRequest(second.requests)).toEqual([chunkPhones(2)]);
    expect(result.stdout).toContain("Resuming: 1 chunk already sent, not resent.");
    expect(result.stdout).toContain("Chunks: 2 of 3 sent, 0 failed, 1 unknown, 0 not sent.");
    expect(result.stdout).toContain("chunk 1 (recipients 11–20, lines 12–21): IP1 answered 503");
    expect(result.stdout).toContain("so --resume holds them back (it did now). Check in IP1's portal");
    const { records } = readJournalLines(join(cwd, "j.jsonl"));
    expect(records.filter((r) => r.type === "resume")).toEqual([
      { type: "resume", force: false, at: expect.any(String) },
    ]);
  });

  it("with --force, resends the unknown chunk too, once (exit 0 when it goes through)", async () => {
    const cwd = await interruptedRun();
    const second = await serve(accepted);
    const result = await sendInTens({ cwd, url: second.url }, "--resume", "j.jsonl", "--force");
    expect(result.code).toBe(0);
    expect(phonesPerRequest(second.requests)).toEqual([chunkPhones(1), chunkPhones(2)]);
    expect(result.stdout).toContain("--force: resending 1 chunk whose outcome was unknown.");
    expect(result.stdout).toContain("Chunks: 3 of 3 sent, 0 failed, 0 unknown, 0 not sent.");

    // And a further resume sends nothing at all.
    const third = await serve(accepted);
    const again = await sendInTens({ cwd, url: third.url }, "--resume", "j.jsonl");
    expect(again.code).toBe(0);
    expect(third.requests).toHaveLength(0);
    expect(again.stdout).toContain("Nothing left to send: 30 recipients from users.csv.\n");
  });

  it("resends a chunk IP1 refused (nothing was sent then)", async () => {
    const cwd = dirWithUsers(30);
    const first = await serve([accepted, { answer: 401, body: '{"Message":"Authorization has been denied"}' }]);
    expect((await sendInTens({ cwd, url: first.url }, "--journal", "j.jsonl")).code).toBe(1);
    const second = await serve(accepted);
    const result = await sendInTens({ cwd, url: second.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(0);
    expect(phonesPerRequest(second.requests)).toEqual([chunkPhones(1), chunkPhones(2)]);
    expect(result.stdout).toContain("Resending 1 chunk IP1 refused last time (nothing was sent then).");
  });

  it("has a chunk's attempt line on disk while its request is in flight, before any answer", async () => {
    const cwd = dirWithUsers(30);
    const server = await serve({ hang: true });
    const running = sendInTens({ cwd, url: server.url }, "--journal", "j.jsonl");
    for (const deadline = Date.now() + 10_000; server.requests.length === 0 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 10)); // polling for the request to arrive
    }
    expect(server.requests).toHaveLength(1);
    expect(readJournalLines(join(cwd, "j.jsonl")).records).toEqual([
      { type: "attempt", chunk: 0, first: 0, count: 10, lines: [2, 11], at: expect.any(String) },
    ]);
    await server.close(); // the connection drops mid-request: the outcome is unknown
    const result = await running;
    expect(result.code).toBe(3);
    expect(server.requests).toHaveLength(1);
  });

  it("treats a chunk attempted with no recorded outcome (the process died mid-request) as unknown", async () => {
    const cwd = dirWithUsers(30);
    const first = await serve(accepted);
    expect((await sendInTens({ cwd, url: first.url }, "--journal", "j.jsonl")).code).toBe(0);
    // Keep chunk 1's attempt line, drop its outcome line, and leave a half-written last line as a crash would.
    const path = join(cwd, "j.jsonl");
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    const kept = lines.filter((line) => !(line.includes('"type":"chunk"') && line.includes('"chunk":1,')));
    writeFileSync(path, `${kept.join("\n")}\n`);
    appendFileSync(path, '{"type":"attempt","chunk":2,"fir');

    const second = await serve(accepted);
    const result = await sendInTens({ cwd, url: second.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(3);
    expect(second.requests).toHaveLength(0);
    expect(result.stdout).toMatch(
      /chunk 1 \(recipients 11–20, lines 12–21\): attempted at .*, but the run ended before IP1's answer was recorded/,
    );
  });

  it.each([
    ["another message", ["--message", "Ett annat meddelande"], "--message (its SHA-256): the journal has"],
    ["another chunk size", ["--chunk-size", "5"], "--chunk-size: the journal has 10, this run 5"],
    ["another NKI", ["--nki", "43"], "--nki: the journal has 42, this run 43"],
    ["--email added", ["--email"], "--email: the journal has false, this run true"],
  ])("refuses a journal of another job: %s (exit 2, nothing sent)", async (_, change, difference) => {
    const cwd = await interruptedRun();
    const second = await serve(accepted);
    const result = await sendInTens({ cwd, url: second.url }, "--resume", "j.jsonl", ...change);
    expect(result.code).toBe(2);
    expect(second.requests).toHaveLength(0);
    expect(result.stderr).toContain(
      `${join(cwd, "j.jsonl")}: refusing to resume: this is not the job the journal records.`,
    );
    expect(result.stderr).toContain(difference);
  });

  it("refuses a journal whose input file changed", async () => {
    const cwd = await interruptedRun();
    writeUsersCsv(cwd, 31); // overwrites users.csv
    const second = await serve(accepted);
    const result = await sendInTens({ cwd, url: second.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(2);
    expect(second.requests).toHaveLength(0);
    expect(result.stderr).toContain("the recipients (the file's SHA-256, or the --to list): the journal has");
    expect(result.stderr).toContain(
      "the number of recipients (did --skip-invalid differ?): the journal has 30, this run 31",
    );
  });

  it("never overwrites an existing journal, and rejects a file that is not one", async () => {
    const cwd = await interruptedRun();
    const second = await serve(accepted);
    const overwrite = await sendInTens({ cwd, url: second.url }, "--journal", "j.jsonl");
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toContain("a journal already exists there; continue it with --resume");
    writeFileSync(join(cwd, "not-a-journal.jsonl"), '{"hello":"world"}\n');
    const wrong = await sendInTens({ cwd, url: second.url }, "--resume", "not-a-journal.jsonl");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("not-a-journal.jsonl:1: not an ip1-nki journal (version 1)");
    expect(second.requests).toHaveLength(0);
  });
});
