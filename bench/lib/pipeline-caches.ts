// The caches a pipeline run leaves in a temporary project, and the states the bench resets them to: "cold" (no step
// cache, Node's compile cache kept: what a run after a spec change or a fresh checkout on a used machine costs) and
// "first run" (nothing cached: the very first `npm run pipeline` after `npm ci`).
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { STEP_CACHE } from "../../scripts/lib/step-cache.js";

/** Everything the project caches, relative to the project: the step cache, Node's compile cache (v8/) and the rest. */
const CACHE_DIR = "node_modules/.cache/ip1-nki";

/** The fetched Node binaries the bench runs on: never a cache a pipeline run fills, so never removed. */
const KEPT = new Set(["node"]);

/** Cold: the step cache removed, Node's compile cache kept. */
export function removeStepCache(projectDir: string): void {
  rmSync(join(projectDir, STEP_CACHE), { recursive: true, force: true });
}

/**
 * The step cache's entries for the steps `remove` names (entries are `<step>-<key>.json`): a run then does those
 * steps and takes the others from the cache.
 */
export function removeStepEntries(projectDir: string, remove: (step: string) => boolean): void {
  const dir = join(projectDir, STEP_CACHE);
  for (const entry of readdirSync(dir)) {
    if (remove(entry.slice(0, entry.indexOf("-")))) rmSync(join(dir, entry), { force: true });
  }
}

/** First run: every cache removed, the compile cache too (but not the fetched Node binaries). */
export function removeAllCaches(projectDir: string): void {
  const dir = join(projectDir, CACHE_DIR);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // nothing cached yet
  }
  for (const entry of entries) if (!KEPT.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
}

/** Node's compile cache in the project, as scripts/run-ts.mjs enables it; given to bare `node -e` comparisons. */
export const compileCacheDir = (projectDir: string) => join(projectDir, CACHE_DIR, "v8");
