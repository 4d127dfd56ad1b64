// No process outlives its test: a child and the grandchild it starts are gone when the test that started them ends,
// whether it passed or timed out, or the run was interrupted; one started for a whole file is gone when that file's
// tests end, though the worker runs other files (those three run in a vitest of their own).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { packageFile } from "../../scripts/lib/run-node.js";
import { groupAlive, run, start } from "./processes.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const family = fileURLToPath(new URL("../fixtures/processes/family.cjs", import.meta.url));
const nested = (fixture: string) => ["run", "--config", "test/fixtures/processes/vitest.config.ts", fixture];
const temp = mkdtempSync(join(tmpdir(), "ip1-nki-processes-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Family {
  child: number;
  grandchild: number;
}

/** Whether a process runs (a zombie, dead and waiting to be reaped, does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("a test's processes", () => {
  let left: Family | undefined;

  it("run in their own process group, grandchildren included", async () => {
    const started = start(process.execPath, [family]);
    await started.waitForOutput("grandchild");
    left = JSON.parse(started.stdout) as Family;
    expect(left.child).toBe(started.pid);
    expect([running(left.child), running(left.grandchild), groupAlive(started.pid)]).toEqual([true, true, true]);
    // The test ends here with both still running.
  });

  it("are all killed when that test ends", () => {
    if (!left) throw new Error("the previous test recorded no PIDs");
    expect([running(left.child), running(left.grandchild), groupAlive(left.child)]).toEqual([false, false, false]);
  });

  it("are all killed when that test times out", async () => {
    const pidsFile = join(temp, "pids.json");
    const vitest = await run(process.execPath, [packageFile("vitest", "vitest.mjs"), ...nested("timed-out")], {
      cwd: root,
      env: { ...process.env, PIDS_FILE: pidsFile, CI: "1" },
    });
    const output = vitest.stdout + vitest.stderr;
    expect(vitest.code, output).toBe(1);
    expect(output).toContain("Test timed out in 3000ms");
    const timedOut = JSON.parse(readFileSync(pidsFile, "utf8")) as Family & { aliveAfterTimeout: boolean };
    expect(timedOut.grandchild).toBeGreaterThan(0);
    expect(timedOut.aliveAfterTimeout).toBe(false);
    expect([running(timedOut.child), running(timedOut.grandchild), groupAlive(timedOut.child)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("are all killed when the run is interrupted (Ctrl-C)", async () => {
    const pidsFile = join(temp, "interrupted.json");
    const vitest = start(process.execPath, [packageFile("vitest", "vitest.mjs"), ...nested("timed-out")], {
      cwd: root,
      env: { ...process.env, PIDS_FILE: pidsFile, HANG_TIMEOUT_MS: "600000", CI: "1" },
    });
    await vi.waitUntil(() => existsSync(pidsFile) && readFileSync(pidsFile, "utf8").includes("grandchild"), {
      timeout: 15_000,
      interval: 50,
    });
    const family = JSON.parse(readFileSync(pidsFile, "utf8")) as Family;
    expect(groupAlive(family.child)).toBe(true);
    // What a terminal does on Ctrl-C: SIGINT to its foreground process group, vitest and its workers; not to the
    // test's children, which run in groups of their own.
    process.kill(-vitest.pid, "SIGINT");
    await vitest.exited;
    await vi.waitUntil(() => !groupAlive(family.child), { timeout: 5000, interval: 20 }).catch(() => {});
    expect([running(family.child), running(family.grandchild), groupAlive(family.child)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("started for a whole file are all killed when that file's tests end, before the worker's next file", async () => {
    const pidsFile = join(temp, "file-scoped.jsonl");
    const vitest = await run(process.execPath, [packageFile("vitest", "vitest.mjs"), ...nested("file-scoped-")], {
      cwd: root,
      env: { ...process.env, PIDS_FILE: pidsFile, CI: "1" },
    });
    expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0);
    const files = readFileSync(pidsFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(files.map((file) => file.name).sort()).toEqual(["a", "b"]);
    expect(files[1].worker).toBe(files[0].worker);
    expect(files.map((file) => file.earlierAlive)).toEqual([[], []]);
    expect(files.map((file) => groupAlive(file.family))).toEqual([false, false]);
  });

  it("run reports a non-zero exit and a signal instead of throwing", async () => {
    await expect(run(process.execPath, ["-e", "process.exitCode = 3"])).resolves.toMatchObject({ code: 3 });
    await expect(run(process.execPath, ["-e", "process.kill(process.pid, 'SIGTERM')"])).resolves.toMatchObject({
      code: null,
      signal: "SIGTERM",
    });
  });
});
