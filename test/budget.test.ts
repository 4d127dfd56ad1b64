// The tooling's shape: scripts/lib/ is the ground floor (nothing in it imports the scripts above it). And its line
// budget: scripts/ and bench/ together stay at or under LINE_BUDGET lines of code, so the
// annex around the library cannot quietly grow back (it reached 5,616 lines before issue 22 cut it). Counted as
// `git ls-files scripts bench | grep -E '\.(ts|mts|mjs|js|cjs)$' | xargs cat | wc -l` counts, blank lines and
// comments included. Raising LINE_BUDGET takes a commit of its own that says why.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// 3 500, then + 200 for issue 20: verify:live reads IP1's sent log after its send (the checks that settle the spec's
// sent-log inferences on a real account, +150), the validators step exports a shared response once (+9), and i19's
// bench/ledger-child.ts (+26) already merged on this branch. + 30 for the pipeline's front door (run.mjs, and cache.ts
// as cache.mjs with its types), which answers a no-op without tsx: 0.13 s instead of 0.45 s on Node 20. + 70 for
// issue 23: scripts/build.ts writes Node's entry (a stub per function, loading the client at its first call) and the
// phone library's own entries (a cold import went from about 28 to 11 ms).
const LINE_BUDGET = 3_800;
const root = new URL("../", import.meta.url).pathname;

function linesUnder(dir: string): number {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|mjs|js|cjs)$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .reduce((sum, text) => sum + (text.match(/\n/g)?.length ?? 0), 0);
}

describe("the tooling's shape", () => {
  it("keeps scripts/lib/ the ground floor: it imports nothing from the scripts above it", () => {
    const lib = join(root, "scripts/lib");
    const upward = readdirSync(lib)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) => [...readFileSync(join(lib, name), "utf8").matchAll(/from "(\.\.\/[^"]*)"/g)])
      .map((match) => match[1]);
    expect(upward).toEqual([]);
  });

  it(`keeps scripts/ and bench/ at or under ${LINE_BUDGET} lines`, () => {
    const lines = linesUnder("scripts") + linesUnder("bench");
    expect(lines).toBeGreaterThan(0);
    expect(
      lines,
      "scripts/ + bench/ grew past the budget: cut, or raise it in a commit that says why",
    ).toBeLessThanOrEqual(LINE_BUDGET);
  });
});
