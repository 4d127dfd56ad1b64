// The CLI chain `npm run pipeline` replaces: redocly lint, redocly bundle, openapi-typescript and tsc, one process
// each, one after another, run with the Node under test. It caches nothing, so every run of it is a cold run.
import { join } from "node:path";
import { packageFile } from "../scripts/lib/run-node.js";
import { firstLine } from "./lib/command.js";
import type { NodeRunner, Timings } from "./lib/node-runner.js";

const redocly = packageFile("@redocly/cli", "bin/cli.js");
const openapiTypescript = packageFile("openapi-typescript", "bin/cli.js");
const tsc59 = packageFile("typescript", "bin/tsc");
const tsc7 = packageFile("typescript7", "bin/tsc");

const TYPECHECK_ARGS = ["--noEmit", "-p", "tsconfig.lib.json"];

/** The steps before the typecheck, which both chains share. */
function generationSteps(dir: string): Record<string, string[]> {
  return {
    "redocly lint": [redocly, "lint"],
    "redocly bundle": [redocly, "bundle", "spec/openapi.yaml", "-o", join(dir, "chain-bundle.json")],
    // The CLI takes input and output from redocly.yaml's `apis:` but not `rootTypes`; the flags make the same file.
    "openapi-typescript": [openapiTypescript, "--root-types", "--root-types-no-schema-prefix"],
  };
}

export interface ChainTimings {
  /** Ending with TypeScript 5.9's tsc. */
  ts59: Timings;
  /** The same run's generation steps, ending with TypeScript 7's tsc instead. */
  ts7: Timings;
}

/** One run of the chain: the generation steps once, then each tsc; each chain's time is the sum of its steps. */
export async function runChain(runner: NodeRunner, into: ChainTimings): Promise<void> {
  let generation = 0;
  let failure: string | undefined; // one per run, the first: the report counts failed runs
  for (const [step, args] of Object.entries(generationSteps(runner.dir))) {
    const run = await runner.run(args);
    generation += run.ms;
    if (run.code !== 0) failure ??= `step \`${step}\` exited ${run.code}: ${firstLine(run)}`;
  }
  for (const [timings, tsc] of [
    [into.ts59, tsc59],
    [into.ts7, tsc7],
  ] as const) {
    const run = await runner.run([tsc, ...TYPECHECK_ARGS]);
    timings.ms.push(generation + run.ms);
    const failed = failure ?? (run.code !== 0 ? `tsc exited ${run.code}: ${firstLine(run)}` : undefined);
    if (failed) timings.failures.push(failed);
  }
}
