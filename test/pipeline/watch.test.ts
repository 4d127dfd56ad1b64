// `npm run pipeline -- --watch` in a copy of the project: a spec edit is regenerated and typechecked (by TypeScript 7's
// own tsc --watch): a spec edit that breaks src/ fails, an edit under src/ is seen, and each failure clears when it
// is fixed. Edits are saved the way editors save (in place, or a new file renamed over the old). What --watch leaves
// on disk is what `--check` accepts. Where tsc --watch sees nothing (a folder near /), a fresh tsc checks instead.
import { renameSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { run, type Started, start, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";

let copy: ProjectCopy;
let watcher: Started;

/** How many runs the watcher has finished: each ends in a "regenerated in" summary or a "(done: …)" failure. */
const finished = () => (`${watcher.stdout}${watcher.stderr}`.match(/^regenerated in \d+ ms$|^\(done: /gm) ?? []).length;

type Runs = { ok: boolean; stdout: string; stderr: string };

/**
 * Makes an edit, waits for the run it causes, and returns what the runs since the edit printed. `until`: wait on
 * until that output shows it. An in-place save is a truncate and then a write, and on a busy machine the watcher can
 * run on the emptied file before the run that reads the save; an atomic save (saveAtomically) starts one run.
 */
async function afterEdit(edit: () => void, until: (runs: Runs) => boolean = () => true): Promise<Runs> {
  const count = finished();
  const [stdoutAt, stderrAt] = [watcher.stdout.length, watcher.stderr.length];
  const since = (): Runs => {
    const [stdout, stderr] = [watcher.stdout.slice(stdoutAt), watcher.stderr.slice(stderrAt)];
    return { ok: stdout.includes("regenerated in") && !stderr.includes("(done:"), stdout, stderr };
  };
  // A timeout alone would not say what the watcher did: a failing test shows what it printed since the edit.
  onTestFailed(() => {
    process.stderr.write(`pipeline --watch printed since the edit:\n${JSON.stringify(since(), null, 2)}\n`);
  });
  edit();
  await watcher.waitForOutput(() => finished() > count && until(since()));
  return since();
}

beforeAll(async () => {
  copy = copyProject("ip1-nki-watch-");
  const [file, args] = npmScript("pipeline", ["--watch"]);
  watcher = start(file, args, { cwd: copy.dir });
  await watcher.waitForOutput(/^regenerated in \d+ ms$/m);
}, WHOLE_TOOL_TIMEOUT_MS);

// The watcher first: a run still under way would write into the removed copy again.
afterAll(async () => {
  await watcher?.stop();
  copy?.remove();
});

/** An editor's atomic save: the new text goes to a temporary file, renamed over the old one (a new inode). */
function saveAtomically(relative: string, from: string, to: string) {
  const text = copy.read(relative);
  expect(text).toContain(from);
  writeFileSync(copy.path(`${relative}.tmp`), text.replace(from, to));
  renameSync(copy.path(`${relative}.tmp`), copy.path(relative));
}

describe("pipeline --watch", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("regenerates after a spec edit, and leaves what --check accepts", async () => {
    const result = await afterEdit(() =>
      saveAtomically("spec/components/schemas/NkiUser.yaml", "maxLength: 16", "maxLength: 15"),
    );
    expect(result.ok, result.stderr).toBe(true);
    expect(watcher.stdout).not.toContain("tsc --watch missed an edit");
    expect(result.stdout).toContain("generated/openapi.json");
    // A maxLength lands in the validators' JavaScript only: tsc would see what it saw, so it is not run again.
    expect(result.stdout).not.toContain("generated/schema.d.ts");
    expect(result.stdout).not.toMatch(/^ {2}typecheck +\d+ ms$/m);
    expect(result.stdout).toContain("typecheck: no .ts file changed, so the last one's pass stands");
    expect(copy.read("generated/openapi.json")).toContain('"maxLength": 15');
    const check = await run(...npmScript("pipeline", ["--check"]), { cwd: copy.dir });
    expect(check.code, check.stderr).toBe(0);
  });

  it("fails the typecheck when a spec edit breaks src/, and passes again when it is undone", async () => {
    // Without root types, the names src/types-entry.ts re-exports are gone from generated/schema.d.ts.
    const broken = await afterEdit(() => saveAtomically("redocly.yaml", "rootTypes: true", "rootTypes: false"));
    expect(broken.ok).toBe(false);
    expect(broken.stderr).toContain("Typecheck failed");
    expect(broken.stderr).toMatch(/src\/types-entry\.ts\(\d+,\d+\): error TS\d+/);

    // An edit that changes no .ts file while src/ is broken: still broken, said again (no tsc run needed to know).
    const still = await afterEdit(() =>
      saveAtomically("spec/components/schemas/NkiUser.yaml", "maxLength: 15", "maxLength: 14"),
    );
    expect(still.ok).toBe(false);
    expect(still.stderr).toMatch(/src\/types-entry\.ts\(\d+,\d+\): error TS\d+/);

    const fixed = await afterEdit(() => saveAtomically("redocly.yaml", "rootTypes: false", "rootTypes: true"));
    expect(fixed.ok, fixed.stderr).toBe(true);
  });

  it("typechecks again after an edit under src/, naming the file it broke", async () => {
    const line = '\nexport const brokenByTheWatchTest: number = "text";\n';
    // Saved in place: the run that reads the whole save is the one naming the error (or, fixed, the one passing).
    const named = /src\/status\.ts\(\d+,\d+\): error TS2322/;
    const broken = await afterEdit(
      () => copy.write("src/status.ts", `${copy.read("src/status.ts")}${line}`),
      (runs) => named.test(runs.stderr),
    );
    expect(broken.stderr).toMatch(named);
    expect(broken.stdout).not.toContain("regenerated in");

    const fixed = await afterEdit(
      () => copy.edit("src/status.ts", line, ""),
      (runs) => runs.stdout.includes("regenerated in"),
    );
    expect(fixed.stdout, fixed.stderr).toContain("regenerated in");
  });
});

describe("pipeline --watch where tsc --watch sees no edits", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("checks each change with a fresh tsc instead, so a spec edit that breaks src/ is still reported", async () => {
    const shallow = copyProject("ip1-nki-watch-shallow-", { shallow: true });
    let child: Started | undefined;
    try {
      const [file, args] = npmScript("pipeline", ["--watch"]);
      const pipeline = start(file, args, { cwd: shallow.dir });
      child = pipeline;
      await pipeline.waitForOutput(/^regenerated in \d+ ms$/m);
      shallow.edit("redocly.yaml", "rootTypes: true", "rootTypes: false");
      // Saved in place: a run on the emptied file may come first; the one that read the edit names types-entry.ts.
      await pipeline.waitForOutput(() => /src\/types-entry\.ts\(\d+,\d+\): error TS\d+/.test(pipeline.stderr));
      expect(pipeline.stdout).toContain("tsc --watch missed an edit");
      expect(pipeline.stderr).toMatch(/src\/types-entry\.ts\(\d+,\d+\): error TS\d+/);
    } finally {
      await child?.stop();
      shallow.remove();
    }
  });
});
