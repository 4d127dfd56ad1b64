// The levers the pipeline pulls to start fast, each measured against the pipeline without it (the issue: "measure
// each lever in the bench, and keep only those that pay"). The runs with the lever are the cold and no-op runs the
// section measures anyway; here are the runs without it.

import { type NodeRunner, noTimings, record, type Timings } from "./lib/node-runner.js";
import { underTsx } from "./lib/npm-script.js";
import { compileCacheDir, removeStepCache } from "./lib/pipeline-caches.js";

export interface LeverTimings {
  /** (a) A fresh `node -e` loading TypeScript 5.9 with require(), as the pipeline does (through openapi-typescript's CommonJS build)… */
  requireTypescript: Timings;
  /** …and with import(), as openapi-typescript's ESM build would. */
  importTypescript: Timings;
  /** (b) A cold pipeline run with NODE_DISABLE_COMPILE_CACHE=1; undefined on a Node without a compile cache (20). */
  noCompileCache?: Timings;
  /** (c) A cold pipeline run under tsx instead of Node's type stripping; undefined where both are tsx (Node 20). */
  tsx?: Timings;
  /** (d) A bare `node -e` loading the libraries a no-op run does not load. */
  bareLibraries: Timings;
}

// What each side of (a) loads, in a process that does nothing else; the same for (d), mirroring the steps' imports
// (Redocly for lint and bundle, openapi-typescript's CommonJS build for types, ajv for validators).
const REQUIRE_TYPESCRIPT = ["-e", 'require("typescript")'];
const IMPORT_TYPESCRIPT = ["--input-type=module", "-e", 'await import("typescript")'];
const LOAD_LIBRARIES = [
  "--input-type=module",
  "-e",
  'import { createRequire } from "node:module"; await import("@redocly/openapi-core"); ' +
    'createRequire(process.cwd() + "/")("openapi-typescript"); await import("ajv");',
];

/** Node 22.1+ has a compile cache, and 22.18+ strips types (the majors after 20 that users run have both). */
const hasCompileCache = (runner: NodeRunner) => runner.node.major >= 22;
const stripsTypes = (runner: NodeRunner) => runner.node.major >= 22;

/**
 * Measures the side of each lever without it, `runs` times. `pipelineArgs` is the pipeline command's arguments after
 * `node`. The bare `node -e` runs get the project's compile cache (which the pipeline would use on Node 22+), warmed
 * by one untimed run, so a difference is the lever's, not the cache's.
 */
export async function measureLevers(
  runner: NodeRunner,
  pipelineArgs: readonly string[],
  runs: number,
  log: (message: string) => void,
): Promise<LeverTimings> {
  const levers: LeverTimings = {
    requireTypescript: noTimings(),
    importTypescript: noTimings(),
    bareLibraries: noTimings(),
  };
  const compileCache = { NODE_COMPILE_CACHE: compileCacheDir(runner.dir) };
  const major = runner.node.major;

  log(`pipeline levers on Node ${major}: (a) require vs import of typescript, (d) bare library loads`);
  for (const args of [REQUIRE_TYPESCRIPT, IMPORT_TYPESCRIPT, LOAD_LIBRARIES]) await runner.run(args, compileCache);
  for (let run = 1; run <= runs; run++) {
    // Alternate the order, as the section does with the chain.
    const pair = [
      () => runner.run(REQUIRE_TYPESCRIPT, compileCache).then((r) => record(levers.requireTypescript, r)),
      () => runner.run(IMPORT_TYPESCRIPT, compileCache).then((r) => record(levers.importTypescript, r)),
    ];
    for (const measure of run % 2 === 1 ? pair : pair.reverse()) await measure();
    record(levers.bareLibraries, await runner.run(LOAD_LIBRARIES, compileCache));
  }

  if (hasCompileCache(runner)) {
    log(`pipeline levers on Node ${major}: (b) cold runs with NODE_DISABLE_COMPILE_CACHE=1`);
    const timings = noTimings();
    for (let run = 1; run <= runs; run++) {
      removeStepCache(runner.dir);
      record(timings, await runner.run(pipelineArgs, { NODE_DISABLE_COMPILE_CACHE: "1" }));
    }
    levers.noCompileCache = timings;
  }

  if (stripsTypes(runner)) {
    // run-ts.mjs is what turns the compile cache on; under tsx it is not loaded, so the variable keeps the cache on
    // and the difference is the loader's alone.
    log(`pipeline levers on Node ${major}: (c) cold runs under tsx`);
    const timings = noTimings();
    for (let run = 1; run <= runs; run++) {
      removeStepCache(runner.dir);
      record(timings, await runner.run(underTsx(pipelineArgs), compileCache));
    }
    levers.tsx = timings;
  }
  return levers;
}
