// Bulk: 2,500 recipients go out as 3 requests (1000, 1000, 500) in CSV order; the journal names the job and records
// an attempt before each request and its outcome after; the progress bar shows on a terminal only.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  accepted,
  credentials,
  dirWithUsers,
  phoneOf,
  phonesPerRequest,
  readJournalLines,
  runCli,
  send,
  sendInTens,
  serve,
} from "./support.js";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => phoneOf(from + i));

describe("2,500 recipients from a CSV", () => {
  it("go out as 3 requests of 1000, 1000 and 500, each recipient once, and the journal records each chunk", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(2500);
    const result = await runCli([...send, "--users", "users.csv", "--journal", "run.jsonl", "--base-url", server.url], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(0);
    const sent = phonesPerRequest(server.requests).sort((a, b) => a[0]?.localeCompare(b[0] ?? "") ?? 0);
    expect(sent).toEqual([range(0, 1000), range(1000, 2000), range(2000, 2500)]);

    const { header, records } = readJournalLines(join(cwd, "run.jsonl"));
    expect(header).toMatchObject({
      type: "job",
      version: 2,
      nki: 42,
      from: "Acme",
      email: false,
      input: "users.csv",
      recipients: 2500,
      chunkSize: 1000,
      chunks: 3,
      messageSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      recipientsSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      target: { mock: false, origin: server.url },
    });
    const spans = [
      { chunk: 0, first: 0, count: 1000, lines: [2, 1001] },
      { chunk: 1, first: 1000, count: 1000, lines: [1002, 2001] },
      { chunk: 2, first: 2000, count: 500, lines: [2002, 2501] },
    ];
    for (const span of spans) {
      const mine = records.filter((record) => "chunk" in record && record.chunk === span.chunk);
      expect(mine).toEqual([
        { type: "attempt", ...span, at: expect.any(String) },
        {
          type: "chunk",
          ...span,
          outcome: "sent",
          messages: { total: span.count, delivered: 0, inTransit: span.count, failed: 0, unknown: 0 },
          at: expect.any(String),
        },
      ]);
    }
  });

  it("--chunk-size and --concurrency 1 send smaller chunks one after another, in order", async () => {
    const server = await serve(accepted);
    const result = await sendInTens({ cwd: dirWithUsers(25), url: server.url });
    expect(result.code).toBe(0);
    expect(phonesPerRequest(server.requests)).toEqual([range(0, 10), range(10, 20), range(20, 25)]);
  });
});

describe("the progress bar", () => {
  it("is drawn on stderr when it is a terminal, and cleared at the end", async () => {
    const server = await serve(accepted);
    const result = await sendInTens({ cwd: dirWithUsers(30), url: server.url, tty: true });
    expect(result.code).toBe(0);
    const frames = result.stderr.split("\r\x1b[K").filter(Boolean);
    expect(frames.map((frame) => frame.replace(/^\[[#-]+\] /, ""))).toEqual([
      "0/30 recipients, 0/3 chunks",
      "10/30 recipients, 1/3 chunks",
      "20/30 recipients, 2/3 chunks",
      "30/30 recipients, 3/3 chunks",
    ]);
    expect(result.stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("is not drawn when stderr is not a terminal", async () => {
    const server = await serve(accepted);
    const result = await sendInTens({ cwd: dirWithUsers(30), url: server.url });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });
});

describe("stopping (Ctrl-C in the bin)", () => {
  it("starts no new chunk once stopped; what never went out is reported for --resume (exit 1)", async () => {
    const server = await serve(accepted);
    const cwd = dirWithUsers(30);
    const stop = new AbortController();
    stop.abort();
    const result = await sendInTens({ cwd, url: server.url, stop: stop.signal }, "--journal", "j.jsonl");
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(0);
    expect(result.stdout).toContain("Chunks: 0 of 3 sent, 0 failed, 0 unknown, 3 not sent.");
    expect(readJournalLines(join(cwd, "j.jsonl")).records.filter((r) => r.type !== "run")).toEqual([]);
  });
});
