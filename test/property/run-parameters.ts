// The fast-check parameters every property here runs with, so seed, replay and case count work the same everywhere.
import type fc from "fast-check";

/**
 * At least 500 cases per property (CI runs the default). A failing property shrinks its counterexample and prints
 * the seed and path it failed at, e.g. `Property failed after 37 tests { seed: 1234, path: "36:2:0", ... }`.
 * Replay exactly that case with `FC_SEED=1234 FC_PATH=36:2:0 npx vitest run test/property/<file>`;
 * `FC_SEED` alone replays the whole run, and `FC_NUM_RUNS` runs more cases (never fewer than 500).
 */
export function runParameters<T>(): fc.Parameters<T> {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  const path = seed === undefined ? undefined : process.env.FC_PATH;
  return {
    numRuns: Math.max(500, Number(process.env.FC_NUM_RUNS ?? 500)),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  };
}

/**
 * The timeout of a property that sends its 500 cases to the shared Prism: about 3.5 s each alone on an idle 2-core
 * machine, but Prism serves every test file at once, so on a loaded CI runner (three CPU-bound processes beside the
 * suite) these were measured at 25-29 s, next to the 30 s default. Twice that keeps the idle time under a tenth.
 */
export const PROPERTY_TIMEOUT_MS = 60_000;
