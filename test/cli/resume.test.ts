// --resume: sends only the chunks that never went out (never attempted, or refused by IP1), never an unknown chunk
// without --force, and refuses a journal of another job. One server plays IP1 across runs (the target is part of the
// job), answering request i with fault i.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Fault, FaultServer } from "../support/fault-server.js";
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
const since = (server: FaultServer, count: number) => phonesPerRequest(server.requests.slice(count));

/** A first run in which chunk 0 is sent, chunk 1 ends unknown (503), and chunk 2 never starts; then `later`. */
async function interruptedRun(later: Fault[] = [accepted]) {
  const cwd = dirWithUsers(30);
  const server = await serve([accepted, { answer: 503, body: "" }, ...later]);
  const result = await sendInTens({ cwd, url: server.url }, "--journal", "j.jsonl");
  expect(result.code).toBe(3);
  expect(phonesPerRequest(server.requests)).toEqual([chunkPhones(0), chunkPhones(1)]);
  return { cwd, server };
}

describe("--resume", () => {
  it("sends only the chunk that never went out, holds back the unknown one and says why (exit 3)", async () => {
    const { cwd, server } = await interruptedRun();
    const result = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(3);
    expect(since(server, 2)).toEqual([chunkPhones(2)]);
    expect(result.stdout).toContain("Resuming: 1 chunk already sent, not resent.");
    expect(result.stdout).toContain("Chunks: 2 of 3 sent, 0 failed, 1 unknown, 0 not sent.");
    expect(result.stdout).toContain("chunk 1 (recipients 11–20, lines 12–21): IP1 answered 503");
    expect(result.stdout).toContain("so --resume holds them back (it did now). Check in IP1's portal");
    const { records } = readJournalLines(join(cwd, "j.jsonl"));
    expect(records.filter((r) => r.type === "run").map((r) => r.type === "run" && [r.mode, r.send])).toEqual([
      ["new", [[0, 2]]],
      ["resume", [[2, 2]]],
    ]);
  });

  it("with --force, resends the unknown chunk too, once (exit 0 when it goes through)", async () => {
    const { cwd, server } = await interruptedRun();
    const result = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl", "--force");
    expect(result.code).toBe(0);
    expect(since(server, 2)).toEqual([chunkPhones(1), chunkPhones(2)]);
    expect(result.stdout).toContain("--force: resending 1 chunk whose outcome was unknown.");
    expect(result.stdout).toContain("Chunks: 3 of 3 sent, 0 failed, 0 unknown, 0 not sent.");

    // And a further resume sends nothing at all.
    const again = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl");
    expect(again.code).toBe(0);
    expect(server.requests).toHaveLength(4);
    expect(again.stdout).toContain("Nothing left to send: 30 recipients from users.csv.\n");
  });

  it("resends a chunk IP1 refused (nothing was sent then)", async () => {
    const cwd = dirWithUsers(30);
    const server = await serve([
      accepted,
      { answer: 401, body: '{"Message":"Authorization has been denied"}' },
      accepted,
    ]);
    expect((await sendInTens({ cwd, url: server.url }, "--journal", "j.jsonl")).code).toBe(1);
    const result = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(0);
    expect(since(server, 2)).toEqual([chunkPhones(1), chunkPhones(2)]);
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
    expect(readJournalLines(join(cwd, "j.jsonl")).records.filter((r) => r.type !== "run")).toEqual([
      { type: "attempt", chunk: 0, first: 0, count: 10, lines: [2, 11], at: expect.any(String) },
    ]);
    await server.close(); // the connection drops mid-request: the outcome is unknown
    const result = await running;
    expect(result.code).toBe(3);
    expect(server.requests).toHaveLength(1);
  });

  it("treats a chunk attempted with no recorded outcome (the process died mid-request) as unknown", async () => {
    const cwd = dirWithUsers(30);
    const server = await serve(accepted);
    expect((await sendInTens({ cwd, url: server.url }, "--journal", "j.jsonl")).code).toBe(0);
    // Keep chunk 1's attempt line, drop its outcome line, and leave a half-written last line as a crash would.
    const path = join(cwd, "j.jsonl");
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    const kept = lines.filter((line) => !(line.includes('"type":"chunk"') && line.includes('"chunk":1,')));
    writeFileSync(path, `${kept.join("\n")}\n`);
    appendFileSync(path, '{"type":"attempt","chunk":2,"fir');

    const result = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(result.stdout).toMatch(
      /chunk 1 \(recipients 11–20, lines 12–21\): attempted at .*, but the run ended before IP1's answer was recorded/,
    );
    expect(result.stdout).toContain("damaged tail (torn-line, 32 bytes)");
  });

  it.each([
    ["another message", ["--message", "Ett annat meddelande"], "--message (its SHA-256): the journal has"],
    ["another chunk size", ["--chunk-size", "5"], "--chunk-size: the journal has 10, this run 5"],
    ["another NKI", ["--nki", "43"], "--nki: the journal has 42, this run 43"],
    ["--email added", ["--email"], "--email: the journal has false, this run true"],
  ])("refuses a journal of another job: %s (exit 2, nothing sent)", async (_, change, difference) => {
    const { cwd, server } = await interruptedRun();
    const result = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl", ...change);
    expect(result.code).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(result.stderr).toContain(
      `${join(cwd, "j.jsonl")}: refusing to resume: this is not the job the journal records.`,
    );
    expect(result.stderr).toContain(difference);
  });

  it("refuses a journal whose recipients changed, or whose target is another", async () => {
    const { cwd, server } = await interruptedRun();
    writeUsersCsv(cwd, 31); // overwrites users.csv
    const result = await sendInTens({ cwd, url: server.url }, "--resume", "j.jsonl");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the recipients after normalization (their SHA-256): the journal has");
    expect(result.stderr).toContain(
      "the number of recipients (did --skip-invalid or --skip-duplicates differ?): the journal has 30, this run 31",
    );
    writeUsersCsv(cwd, 30);
    const elsewhere = await serve(accepted);
    const moved = await sendInTens({ cwd, url: elsewhere.url }, "--resume", "j.jsonl");
    expect(moved.code).toBe(2);
    expect(moved.stderr).toContain(`the target: the journal has ${server.url}, this run ${elsewhere.url}`);
    expect(server.requests).toHaveLength(2);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("never overwrites an existing journal, and rejects a file that is not one", async () => {
    const { cwd, server } = await interruptedRun();
    const overwrite = await sendInTens({ cwd, url: server.url }, "--journal", "j.jsonl");
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toContain("this job has a journal already, so it was sent (or started) before.");
    expect(overwrite.stderr).toContain(
      "It holds: 10 sent, 0 failed, 0 without a record, 0 refused, 10 unknown, 10 not sent",
    );
    writeFileSync(join(cwd, "not-a-journal.jsonl"), '{"hello":"world"}\n');
    const wrong = await sendInTens({ cwd, url: server.url }, "--resume", "not-a-journal.jsonl");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("not-a-journal.jsonl: the journal has no complete first line");
    expect(server.requests).toHaveLength(2);
  });
});
