// What the bench's "where the time goes" reads (test/support/file-usage.ts): recordFileUsage logs the tests it wraps
// with their wall time and, as their children's CPU, the CPU of the processes they ran. Run here on a describe block
// of this file, in this worker (test/file-setup.ts does the same for each whole file when IP1_NKI_FILE_USAGE is set).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordFileUsage } from "../support/file-usage.js";
import { run } from "../support/processes.js";

const temp = mkdtempSync(join(tmpdir(), "ip1-nki-file-usage-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const log = join(temp, "usage.jsonl");
const BUSY_MS = 200;

describe("tests whose usage is recorded", () => {
  recordFileUsage(log);
  it("run a child that spends BUSY_MS of CPU (however long that takes on a busy machine)", async () => {
    // Spins between readings: a loop of bare readings would spend its time in the kernel, reading.
    const busy = `for (let x = 0; process.cpuUsage().user + process.cpuUsage().system < ${BUSY_MS * 1000}; )
      for (let i = 0; i < 1e5; i++) x += i;`;
    expect((await run(process.execPath, ["-e", busy])).code).toBe(0);
  });
});

it("logs them once, with their wall time, and the CPU of the child they ran as their children's", () => {
  const [usage, ...more] = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  expect(more).toEqual([]);
  expect(usage.file).toMatch(/test\/bench\/file-usage\.test\.ts$/);
  expect(usage.wallS).toBeGreaterThan(0);
  // /proc counts whole clock ticks (10 ms), user and system each rounded down.
  expect(usage.childrenCpuS).toBeGreaterThanOrEqual((BUSY_MS - 20) / 1000);
  expect(usage.cpuS).toBeGreaterThanOrEqual(0);
});
