// The line budget of the tooling: scripts/ and bench/ together stay at or under LINE_BUDGET lines of code, so the
// annex around the library cannot quietly grow back (it reached 5,616 lines before issue 22 cut it). Counted as
// `git ls-files scripts bench | grep -E '\.(ts|mts|mjs|js|cjs)$' | xargs cat | wc -l` counts, blank lines and
// comments included. Raising LINE_BUDGET takes a commit of its own that says why.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const LINE_BUDGET = 3_500;
const root = new URL("../", import.meta.url).pathname;

function linesUnder(dir: string): number {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|mjs|js|cjs)$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .reduce((sum, text) => sum + (text.match(/\n/g)?.length ?? 0), 0);
}

describe("the tooling's line budget", () => {
  it(`keeps scripts/ and bench/ at or under ${LINE_BUDGET} lines`, () => {
    const lines = linesUnder("scripts") + linesUnder("bench");
    expect(lines).toBeGreaterThan(0);
    expect(
      lines,
      "scripts/ + bench/ grew past the budget: cut, or raise it in a commit that says why",
    ).toBeLessThanOrEqual(LINE_BUDGET);
  });
});
