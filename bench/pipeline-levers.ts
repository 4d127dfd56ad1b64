// The levers the pipeline pulls to start fast, each measured against the pipeline without it (the issue: "measure
// each lever in the bench, and keep only those that pay"). The runs with and without a lever are taken in turn, so
// a busy spell on the machine does not fall on one side only.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { underTsx } from "../test/support/npm-script.js";
import { inTurn } from "./lib/in-turn.js";
import { type NodeRunner, noTimings, record, type Timings } from "./lib/node-runner.js";
import { compileCacheDir, removeStepCache, removeStepEntries } from "./lib/pipeline-caches.js";

export interface LeverTimings {
  /** (a) A fresh `node -e` loading TypeScript 5.9 with require(), as the pipeline does (through openapi-typescript's CommonJS build)… */
  requireTypescript: Timings;
  /** …and with import(), as openapi-typescript's ESM build would. */
  importTypescript: Timings;
  /** (b), (c): cold pipeline runs as users run it, taken in turn with the runs without each lever. */
  cold: Timings;
  /** (b) A cold pipeline run with NODE_DISABLE_COMPILE_CACHE=1; undefined on a Node without a compile cache (20). */
  noCompileCache?: Timings;
  /** (c) A cold pipeline run under tsx instead of run-ts.mjs (Node's type stripping, or esbuild's kept output on 20). */
  tsx: Timings;
  /**
   * (f) The typecheck started at the beginning, beside generation: without it a cold run would cost a run doing only
   * the generation steps (the typecheck's entry kept) plus a run doing only the typecheck, less one start-up (a no-op
   * run's time), each pair taken in the same turn as a cold run.
   */
  generationOnly: Timings;
  typecheckOnly: Timings;
  /** (e) Loading Redocly with require(), as the steps do, under the pipeline's own loader… */
  requireRedocly: Timings;
  /** …and with import(). */
  importRedocly: Timings;
  /** (d) A no-op pipeline run, taken in turn with… */
  noOp: Timings;
  /** …a bare `node -e` loading the libraries a no-op run does not load. */
  bareLibraries: Timings;
}

// What each side of (a) loads, in a process that does nothing else; the same for (d), mirroring the steps' imports
// (Redocly for lint and bundle, openapi-typescript's CommonJS build for types, ajv for validators).
const REQUIRE_TYPESCRIPT = ["-e", 'require("typescript")'];
const IMPORT_TYPESCRIPT = ["--input-type=module", "-e", 'await import("typescript")'];
/** (e): a script run the way the pipeline's scripts are (run-ts.mjs), loading Redocly one way or the other. */
const LOAD_REDOCLY = {
  require: 'import { createRequire } from "node:module";\ncreateRequire(import.meta.url)("@redocly/openapi-core");\n',
  import: 'await import("@redocly/openapi-core");\n',
};
const LOAD_LIBRARIES = [
  "--input-type=module",
  "-e",
  'import { createRequire } from "node:module"; await import("@redocly/openapi-core"); ' +
    'createRequire(process.cwd() + "/")("openapi-typescript"); await import("ajv");',
];

/** Node 22.1+ has a compile cache (the majors after 20 that users run have it). */
const hasCompileCache = (runner: NodeRunner) => runner.node.major >= 22;

/** Every lever, with no run measured yet. */
export const noLeverTimings = (): LeverTimings => ({
  requireTypescript: noTimings(),
  importTypescript: noTimings(),
  cold: noTimings(),
  tsx: noTimings(),
  noOp: noTimings(),
  bareLibraries: noTimings(),
  requireRedocly: noTimings(),
  importRedocly: noTimings(),
  generationOnly: noTimings(),
  typecheckOnly: noTimings(),
});

/**
 * Measures each lever: the run with it and the run without it, taken in turn, `runs` times each. `pipelineArgs` is
 * the pipeline command's arguments after `node`. The bare `node -e` runs get the project's compile cache (which the
 * pipeline would use on Node 22+), warmed by one untimed run, so a difference is the lever's, not the cache's.
 */
export async function measureLevers(
  runner: NodeRunner,
  pipelineArgs: readonly string[],
  runs: number,
  log: (message: string) => void,
): Promise<LeverTimings> {
  const levers = noLeverTimings();
  const compileCache = { NODE_COMPILE_CACHE: compileCacheDir(runner.dir) };
  const major = runner.node.major;
  const timed = (into: Timings, args: readonly string[], env?: Record<string, string>) => async () => {
    record(into, await runner.run(args, env));
  };

  log(`pipeline levers on Node ${major}: (a) require vs import of typescript, (d) no-op vs bare library loads`);
  const loader = pipelineArgs.slice(
    0,
    pipelineArgs.findIndex((arg) => arg.endsWith(".ts")),
  );
  const redocly = Object.fromEntries(
    Object.entries(LOAD_REDOCLY).map(([how, source]) => {
      const file = join(runner.dir, "scripts", `lever-redocly-${how}.ts`);
      writeFileSync(file, source);
      return [how, [...loader, file]];
    }),
  ) as Record<keyof typeof LOAD_REDOCLY, string[]>;
  for (const args of [REQUIRE_TYPESCRIPT, IMPORT_TYPESCRIPT, LOAD_LIBRARIES]) await runner.run(args, compileCache);
  for (const args of Object.values(redocly)) await runner.run(args);
  await runner.run(pipelineArgs); // so the no-op runs find every step cached
  const loads = [
    timed(levers.requireTypescript, REQUIRE_TYPESCRIPT, compileCache),
    timed(levers.importTypescript, IMPORT_TYPESCRIPT, compileCache),
    timed(levers.noOp, pipelineArgs),
    timed(levers.bareLibraries, LOAD_LIBRARIES, compileCache),
    timed(levers.requireRedocly, redocly.require),
    timed(levers.importRedocly, redocly.import),
  ];
  for (let run = 1; run <= runs; run++) for (const measure of inTurn(run, loads)) await measure();

  log(
    `pipeline levers on Node ${major}: (b) cold runs without the compile cache, (c) under tsx, in turn with cold runs`,
  );
  const cold = (into: Timings, args: readonly string[], env?: Record<string, string>) => {
    const measure = timed(into, args, env);
    return () => {
      removeStepCache(runner.dir);
      return measure();
    };
  };
  const colds = [
    cold(levers.cold, pipelineArgs),
    async () => {
      removeStepEntries(runner.dir, (step) => step !== "typecheck");
      await timed(levers.generationOnly, pipelineArgs)();
      removeStepEntries(runner.dir, (step) => step === "typecheck");
      await timed(levers.typecheckOnly, pipelineArgs)();
    },
  ];
  if (hasCompileCache(runner)) {
    levers.noCompileCache = noTimings();
    colds.push(cold(levers.noCompileCache, pipelineArgs, { NODE_DISABLE_COMPILE_CACHE: "1" }));
  }
  // run-ts.mjs is what turns the compile cache on; under tsx it is not loaded, so the variable keeps the cache on
  // and the difference is the loader's alone.
  colds.push(cold(levers.tsx, underTsx(pipelineArgs), hasCompileCache(runner) ? compileCache : {}));
  for (let run = 1; run <= runs; run++) for (const measure of inTurn(run, colds)) await measure();
  return levers;
}
