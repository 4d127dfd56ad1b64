// startPrism waits for Prism's own word that it listens, on the port it bound itself; a Prism that dies or is cancelled
// before it listens rejects the start and leaves no process behind. Two started at once get two ports, each answering
// as itself: test/verify-live starts three Prisms side by side, each asserting what its own upstream received (a Prism
// start is about a second of CPU, so not a fourth time here).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type PrismProcess, startPrism } from "./prism.js";

const started: PrismProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((prism) => prism.stop()));
});
/** `start`, whose Prism (should it start after all, as a failing test would have it) is stopped after the test. */
const tracked = (start: Promise<PrismProcess>) => {
  start.then(
    (prism) => started.push(prism),
    () => {},
  );
  return start;
};
const dir = mkdtempSync(join(tmpdir(), "ip1-nki-prism-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the bundled spec under a name of its own, so this file's Prisms can be found by their command line. */
function specCopy(name: string): string {
  const path = join(dir, `${name}.json`);
  copyFileSync("generated/openapi.json", path);
  return path;
}

/** The running processes whose command line names `path`. */
const processesNaming = (path: string) =>
  execFileSync("ps", ["-eo", "args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(path));

describe("startPrism", { timeout: 60_000 }, () => {
  it("rejects when Prism exits before it listens, naming the exit, and leaves no process", async () => {
    const missing = join(dir, "no-such-spec.json");
    await expect(tracked(startPrism(missing))).rejects.toThrow(/Prism exited with \d+ before listening/);
    expect(processesNaming(missing)).toEqual([]);
  });

  it("rejects a cancelled start-up and stops the Prism it began", async () => {
    const spec = specCopy("cancelled");
    const cancel = new AbortController();
    const starting = tracked(startPrism(spec, { signal: cancel.signal }));
    cancel.abort();
    await expect(starting).rejects.toThrow("Prism start-up was cancelled.");
    expect(processesNaming(spec)).toEqual([]);
  });
});
