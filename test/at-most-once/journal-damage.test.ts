// Torn, NUL-tailed and garbled journals. A run dies with chunk 2 in flight (its attempt line written, no answer);
// then its journal is damaged the way a crash, a power loss or a bad disk would, and resumed twice. The tail is cut
// off and recorded before anything is appended; a torn attempt line counts as attempted (unknown), never as unsent;
// the second resume reads the repaired journal. A tail that names no chunk may be the attempt line of the next chunk
// the run planned, so that chunk counts as unknown too. A bad line with good lines after it is refused: nothing is sent.
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countingIp1, documentOf, expectPromiseKept, runCli, send, startCli, workDir, writeUsers } from "./harness.js";

/** 30 recipients in chunks of 5; the third request hangs, and the run is killed -9 while it does. */
async function diedWithChunkTwoInFlight() {
  const server = await countingIp1({ answer: (index) => (index === 2 ? "hang" : "accept") });
  const cwd = workDir();
  const phones = writeUsers(cwd, 30);
  const args = [...send, "--chunk-size", "5", "--concurrency", "1", "--base-url", server.url];
  const cli = await startCli(args, { cwd });
  await server.waitForRequests(3);
  cli.kill9();
  await cli.ended;
  const journal = join(cwd, readdirSync(cwd).find((name) => name.endsWith(".jsonl")) as string);
  return { server, cwd, phones, args, journal };
}

const damages: [string, (journal: string) => void, string, number[]][] = [
  [
    "a torn attempt line of the next chunk",
    (j) => appendFileSync(j, '{"type":"attempt","chunk":3,"first":15,"co'),
    "torn-line",
    [2, 3],
  ],
  ["a tail of NUL bytes (power loss)", (j) => appendFileSync(j, Buffer.alloc(4096)), "nul-bytes", [2, 3]],
  [
    "garbage with line breaks",
    (j) => appendFileSync(j, "\u00ff\u0001garbage\n{not json\n\u0000\u0000"),
    "garbage",
    [2, 3],
  ],
  ["an unreadable torn line (which chunk?)", (j) => appendFileSync(j, '{"ty'), "torn-line", [2, 3]],
  [
    "a torn run line (it announces no chunk)",
    (j) => appendFileSync(j, '{"type":"run","mode":"resume","for'),
    "torn-line",
    [2],
  ],
];

describe("damaged journals", () => {
  it.each(damages)(
    "%s: repaired once, recorded, nobody twice",
    async (_, damage, kind, unknownChunks) => {
      const { server, cwd, phones, args, journal } = await diedWithChunkTwoInFlight();
      damage(journal);
      const first = await runCli([...args, "--resume"], { cwd });
      expect(first.code).toBe(3);
      const report = documentOf(first);
      expect(report.unknownChunks.map((chunk) => chunk.chunk)).toEqual(unknownChunks);
      expectPromiseKept(report, phones, server);
      const repairs = readFileSync(journal, "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line))
        .filter((record) => record.type === "repair");
      expect(repairs).toEqual([expect.objectContaining({ kind, unknownChunks: unknownChunks.filter((c) => c !== 2) })]);

      const second = await runCli([...args, "--resume"], { cwd });
      expect(second.code).toBe(3);
      expectPromiseKept(documentOf(second), phones, server);
      expect(server.requests).toBe(3 + (6 - unknownChunks.length - 2)); // chunks 0, 1 before; the rest once
    },
    30_000,
  );

  it("a garbled line with journal lines after it is refused: nothing is sent", async () => {
    const { server, cwd, args, journal } = await diedWithChunkTwoInFlight();
    const lines = readFileSync(journal, "utf8").split("\n");
    lines[2] = `${lines[2]?.slice(0, 20)}\u0000\u0000garbled`;
    writeFileSync(journal, lines.join("\n"));
    const result = await runCli([...args, "--resume"], { cwd });
    expect(result.code).toBe(2);
    expect(documentOf(result).error).toContain(":3: not a journal line, with journal lines after it");
    expect(server.requests).toBe(3);
  }, 30_000);
});
