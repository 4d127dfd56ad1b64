// scripts/run-ts.mjs, which runs the pipeline's TypeScript: with Node's own type stripping where Node has it (no
// compiler at all), else with esbuild through loader hooks, each file compiled once and its JavaScript kept until the
// file changes. Either way a script sees itself as the main module, gets its arguments, and a stack trace names the
// .ts file and line.
import { existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, type ProjectCopy } from "../support/project-copy.js";

const KEPT_JS = "node_modules/.cache/ip1-nki/ts";
// `process.features.typescript` is Node 22.10+ (and not in @types/node 20): "strip" or "transform" where Node strips types.
const stripsTypes = Boolean((process.features as { typescript?: unknown }).typescript);
let copy: ProjectCopy;

const runTs = (script: string, ...args: string[]) =>
  run(process.execPath, ["scripts/run-ts.mjs", script, ...args], { cwd: copy.dir });

beforeAll(() => {
  copy = copyProject("ip1-nki-run-ts-");
});

afterAll(() => copy?.remove());

describe(`run-ts.mjs on Node ${process.versions.node} (${stripsTypes ? "type stripping" : "esbuild hooks"})`, {
  timeout: WHOLE_TOOL_TIMEOUT_MS,
}, () => {
  it("runs a script as the main module with its own arguments", async () => {
    const result = await runTs("scripts/lint.ts", "--help");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Usage: tsx scripts/lint.ts");
  });

  it("names the .ts file and line in a stack trace", async () => {
    copy.write(
      "scripts/throws.ts",
      'const answer: number = 42;\n\nthrow new Error("thrown at line 3 (" + answer + ")");\n',
    );
    const result = await runTs("scripts/throws.ts");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("thrown at line 3 (42)");
    expect(result.stderr).toMatch(/scripts\/throws\.ts:3\b/);
  });

  it(
    stripsTypes
      ? "starts no compiler and keeps no JavaScript: Node strips the types"
      : "compiles each file once, and again only when it changes, keeping one compilation per file",
    async () => {
      const kept = () => (existsSync(copy.path(KEPT_JS)) ? readdirSync(copy.path(KEPT_JS)).sort() : []);
      await runTs("scripts/lint.ts", "--help");
      const before = kept();
      if (stripsTypes) {
        expect(before).toEqual([]);
        return;
      }
      expect(before.length).toBeGreaterThan(0);
      await runTs("scripts/lint.ts", "--help");
      expect(kept()).toEqual(before); // nothing compiled again

      copy.edit("scripts/lint.ts", "Usage: tsx scripts/lint.ts", "Usage: node scripts/run-ts.mjs scripts/lint.ts");
      const edited = await runTs("scripts/lint.ts", "--help");
      expect(edited.stdout).toContain("Usage: node scripts/run-ts.mjs scripts/lint.ts");
      const after = kept();
      expect(after.length).toBe(before.length); // the old compilation of lint.ts was replaced, not added to
      expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
    },
  );
});
