// `npm run pipeline`: spec/ → lint → bundle → types → validators → typecheck, in one Node process that calls each
// library's API instead of a chain of CLIs that each load their own world. What runs, what comes from the cache and
// what overlaps is decided in lib/pipeline-run.ts; this file is the command: its options, its summary, and --watch.
import { watch } from "node:fs";
import { join } from "node:path";
import { type PipelineResult, runPipeline, type StepTiming, SUMMARY_ORDER, type Warm } from "./lib/pipeline-run.js";
import { fromRoot, generatedFiles, root, runIfMain } from "./lib/project.js";
import { STEP_CACHE } from "./lib/step-cache.js";
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

A step whose inputs (files, our generator code, library versions) are unchanged since it last ran takes its
output from ${STEP_CACHE}; the files on disk are still compared with it.

Options:
  --check   write nothing; exit 1 naming every generated file that is stale
  --watch   stay running: regenerate whenever spec/ or redocly.yaml changes, typecheck again when src/ does
  --quiet   print only failures
`;

function summary({ timings, changed }: PipelineResult, title: string): string {
  const rows = [...timings]
    .sort((a, b) => SUMMARY_ORDER.indexOf(a.step) - SUMMARY_ORDER.indexOf(b.step))
    .map(({ step, ms }) => `  ${step.padEnd(11)} ${formatMs(ms).padStart(9)}`);
  const files = changed.length === 0 ? ["  (none)"] : changed.map((path) => `  ${path}`);
  return [title, ...rows, title.includes("--check") ? "stale:" : "changed:", ...files, ""].join("\n");
}

const formatMs = (ms: number | "cached") => (ms === "cached" ? "cached" : `${ms.toFixed(0)} ms`);

/**
 * `--watch`: one warm process (config, libraries, the types worker and a TypeScript 7 program stay loaded);
 * regenerates on each spec change, and typechecks again on each change under src/ too.
 */
async function watchSpec(quiet: boolean): Promise<number> {
  // The warm compiler re-reads only the files it is told of: the generated files a run changed, and what was edited
  // under src/ since the last check. (After a tsconfig or dependency change, restart --watch.)
  const edited = new Set<string>();
  const session = import("./lib/typecheck-session.js")
    .then(({ openTypecheckSession }) => openTypecheckSession(LIBRARY_PROJECT, root))
    .catch(() => undefined); // none: the CLI each time
  const warm: Warm = {
    typecheck: async (changed) => {
      const files = [...changed.map(fromRoot), ...edited];
      edited.clear();
      const warmCompiler = await session;
      await (warmCompiler ? warmCompiler.check(files) : typecheck(LIBRARY_PROJECT));
    },
  };
  let running: Promise<void> = Promise.resolve();
  let pending: NodeJS.Timeout | undefined;
  const rerun = () => {
    running = running.then(async () => {
      const start = performance.now();
      const timings: StepTiming[] = [];
      try {
        const result = await runPipeline({ warm, timings });
        if (!quiet)
          process.stdout.write(summary(result, `regenerated in ${(performance.now() - start).toFixed(0)} ms`));
      } catch (error) {
        // Still say how far it got: a failing typecheck comes after the files were regenerated.
        const steps = timings.map(({ step, ms }) => `${step} ${formatMs(ms)}`).join(", ");
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n(done: ${steps})\n`);
      }
    });
  };
  const onChange = () => {
    clearTimeout(pending);
    pending = setTimeout(rerun, 10); // an editor's save is several events within a few ms; coalesce them
  };
  watch(fromRoot("spec"), { recursive: true }, onChange);
  watch(fromRoot("redocly.yaml"), onChange);
  watch(fromRoot("src"), { recursive: true }, (_event, file) => {
    if (file) edited.add(join(fromRoot("src"), file));
    onChange();
  });
  rerun();
  process.stdout.write("watching spec/, redocly.yaml and src/ (Ctrl-C to stop)\n");
  return new Promise(() => {}); // runs until interrupted
}

runIfMain(import.meta.url, USAGE, async (args) => {
  const quiet = args.includes("--quiet");
  if (args.includes("--watch")) return watchSpec(quiet);
  const check = args.includes("--check");
  const warm: Warm = {};
  let result: PipelineResult;
  try {
    result = await runPipeline({ check, warm });
  } finally {
    await warm.worker?.stop();
  }
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
