// `npm run pipeline`: spec/ → lint → bundle → types → validators → typecheck, in one Node process that calls each
// library's API instead of a chain of CLIs that each load their own world. Types are made on a worker thread so that
// loading openapi-typescript (and TypeScript 5.9 with it) overlaps with the rest.
import { watch } from "node:fs";
import { bundleSpec } from "./bundle.js";
import { generateValidators } from "./gen-validators.js";
import { generateVersion } from "./gen-version.js";
import { fromRoot, generatedFiles, loadSpecConfig, runIfMain } from "./lib/project.js";
import { startTypesWorker, type TypesWorker } from "./lib/types-worker.js";
import { isStale, writeIfChanged } from "./lib/write.js";
import { lintSpec } from "./lint.js";
import { LIBRARY_PROJECT, typecheck } from "./typecheck.js";

const USAGE = `
Usage: npm run pipeline [-- --check | --watch] [-- --quiet]

Regenerates everything under generated/ from spec/:
  1. lint        spec/ with the rules in redocly.yaml (zero problems allowed)
  2. bundle      -> ${generatedFiles.bundle}
  3. types       -> ${generatedFiles.types} (openapi-typescript, options from redocly.yaml x-openapi-ts)
  4. validators  -> ${generatedFiles.validators}, ${generatedFiles.validatorTypes} (ajv standalone)
  5. version     -> ${generatedFiles.version}, ${generatedFiles.versionTypes} (package.json's version)
  6. typecheck   ${LIBRARY_PROJECT}: src/ and generated/ (TypeScript 7's native tsc)

Options:
  --check   write nothing; exit 1 naming every generated file that is stale
  --watch   stay running and regenerate whenever spec/ or redocly.yaml changes
  --quiet   print only failures
`;

export interface StepTiming {
  step: string;
  ms: number;
}

export interface PipelineResult {
  timings: StepTiming[];
  /** Generated files that differ from what is on disk (and were written, unless `check`). */
  changed: string[];
}

/** Runs steps 1–5 and returns every generated file's content, keyed by its path. */
async function generate(worker: TypesWorker, timed: Timer): Promise<Record<string, string>> {
  const config = await timed("config", loadSpecConfig);
  await timed("lint", () => lintSpec(config));
  const { document, text } = await timed("bundle", () => bundleSpec(config));
  // The worker makes the types while this thread makes the validators; "types" is how long its answer took.
  const types = timed("types", () => worker.generate(document, config.typesOptions));
  const validators = await timed("validators", () => generateValidators(document));
  const version = generateVersion();
  return {
    [generatedFiles.version]: version.code,
    [generatedFiles.versionTypes]: version.types,
    [generatedFiles.bundle]: text,
    [generatedFiles.types]: await types,
    [generatedFiles.validators]: validators.code,
    [generatedFiles.validatorTypes]: validators.types,
  };
}

async function runOnce(worker: TypesWorker, check: boolean, timings: StepTiming[] = []): Promise<PipelineResult> {
  const timed = timer(timings);
  const outputs = await generate(worker, timed);
  const changed = Object.entries(outputs)
    .filter(([path, content]) => (check ? isStale(path, content) : writeIfChanged(path, content)))
    .map(([path]) => path);
  // With stale files a typecheck would check the old ones; the staleness is the failure to report.
  if (!(check && changed.length > 0)) await timed("typecheck", () => typecheck(LIBRARY_PROJECT));
  return { timings, changed };
}

export async function runPipeline({ check = false } = {}): Promise<PipelineResult> {
  const worker = startTypesWorker();
  try {
    return await runOnce(worker, check);
  } finally {
    await worker.stop();
  }
}

type Timer = <T>(step: string, work: () => Promise<T> | T) => Promise<T>;

function timer(timings: StepTiming[]): Timer {
  return async (step, work) => {
    const start = performance.now();
    const result = await work();
    timings.push({ step, ms: performance.now() - start });
    return result;
  };
}

function summary({ timings, changed }: PipelineResult, title: string): string {
  const rows = timings.map(({ step, ms }) => `  ${step.padEnd(11)} ${ms.toFixed(0).padStart(6)} ms`);
  const files = changed.length === 0 ? ["  (none)"] : changed.map((path) => `  ${path}`);
  return [title, ...rows, title.includes("--check") ? "stale:" : "changed:", ...files, ""].join("\n");
}

/** `--watch`: one warm process (config, libraries and the types worker stay loaded); regenerates on each change. */
async function watchSpec(quiet: boolean): Promise<number> {
  const worker = startTypesWorker();
  let running: Promise<void> = Promise.resolve();
  let pending: NodeJS.Timeout | undefined;
  const rerun = () => {
    running = running.then(async () => {
      const start = performance.now();
      const timings: StepTiming[] = [];
      try {
        const result = await runOnce(worker, false, timings);
        if (!quiet)
          process.stdout.write(summary(result, `regenerated in ${(performance.now() - start).toFixed(0)} ms`));
      } catch (error) {
        // Still say how far it got: a failing typecheck comes after the files were regenerated.
        const steps = timings.map(({ step, ms }) => `${step} ${ms.toFixed(0)} ms`).join(", ");
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n(done: ${steps})\n`);
      }
    });
  };
  const onChange = () => {
    clearTimeout(pending);
    pending = setTimeout(rerun, 30); // editors write a file in several events; coalesce them
  };
  watch(fromRoot("spec"), { recursive: true }, onChange);
  watch(fromRoot("redocly.yaml"), onChange);
  rerun();
  process.stdout.write("watching spec/ and redocly.yaml (Ctrl-C to stop)\n");
  return new Promise(() => {}); // runs until interrupted
}

runIfMain(import.meta.url, USAGE, async (args) => {
  const quiet = args.includes("--quiet");
  if (args.includes("--watch")) return watchSpec(quiet);
  const check = args.includes("--check");
  const result = await runPipeline({ check });
  // performance.now() counts from process start, so this is the wall time a user waits, start-up included.
  const title = `pipeline${check ? " --check" : ""}: ${performance.now().toFixed(0)} ms wall`;
  if (check && result.changed.length > 0) {
    process.stderr.write(summary(result, title));
    process.stderr.write(
      `generated/ is stale: ${result.changed.join(", ")}. Run \`npm run pipeline\` and commit it.\n`,
    );
    return 1;
  }
  if (!quiet) process.stdout.write(summary(result, title));
  return 0;
});
