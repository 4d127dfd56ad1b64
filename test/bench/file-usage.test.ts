// What the bench's "where the time goes" reads (test/support/file-usage.ts): with IP1_NKI_FILE_USAGE set, a test
// file is logged with its wall time and, as its children's CPU, the CPU of the processes it ran. Run in a vitest of
// its own with the suite's setup files (test/fixtures/processes/vitest.config.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { packageFile } from "../../scripts/lib/run-node.js";
import { run } from "../support/processes.js";

const temp = mkdtempSync(join(tmpdir(), "ip1-nki-file-usage-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

it("logs a file's wall time, and the CPU of the child it ran as its children's", async () => {
  const log = join(temp, "usage.jsonl");
  const config = ["--config", "test/fixtures/processes/vitest.config.ts", "busy-child"];
  const vitest = await run(process.execPath, [packageFile("vitest", "vitest.mjs"), "run", ...config], {
    env: { ...process.env, IP1_NKI_FILE_USAGE: log, BUSY_MS: "300", CI: "1" },
  });
  expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0);
  const [usage, ...more] = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  expect(more).toEqual([]);
  expect(usage.file).toMatch(/test\/fixtures\/processes\/busy-child\.fixture\.ts$/);
  expect(usage.wallS).toBeGreaterThan(0);
  expect(usage.childrenCpuS).toBeGreaterThanOrEqual(0.3);
  expect(usage.cpuS).toBeGreaterThanOrEqual(0);
});
