// `npm run pipeline`: spec/ → lint → bundle → types → validators → typecheck, in one Node process that calls
// each library's API (no chain of CLIs, each loading its own world). `--check` regenerates in memory and fails,
// naming the file, when anything under generated/ is stale.
import { bundleSpec } from "./bundle.js";
import { generateTypes } from "./gen-types.js";
import { generateValidators } from "./gen-validators.js";
import { generatedFiles, loadSpecConfig, runIfMain } from "./lib/project.js";
import { isStale, writeIfChanged } from "./lib/write.js";
import { lintSpec } from "./lint.js";
import { typecheck } from "./typecheck.js";

const USAGE = `
Usage: npm run pipeline [-- --check] [-- --quiet]

Regenerates everything under generated/ from spec/:
  1. lint        spec/ with the rules in redocly.yaml (zero problems allowed)
  2. bundle      -> ${generatedFiles.bundle}
  3. types       -> ${generatedFiles.types} (openapi-typescript)
  4. validators  -> ${generatedFiles.validators}, ${generatedFiles.validatorTypes} (ajv standalone)
  5. typecheck   the whole project (tsc, TypeScript 7)

Options:
  --check   write nothing; exit 1 naming every generated file that is stale
  --quiet   print only failures
`;

export interface StepTiming {
  step: string;
  ms: number;
}

export interface PipelineResult {
  timings: StepTiming[];
  /** Files that differ from what is on disk (written, unless `check`). */
  changed: string[];
}

export async function runPipeline({ check = false } = {}): Promise<PipelineResult> {
  const timings: StepTiming[] = [];
  const time = async <T>(step: string, work: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings.push({ step, ms: performance.now() - start });
    return result;
  };

  const config = await time("config", loadSpecConfig);
  await time("lint", () => lintSpec(config));
  const { document, text } = await time("bundle", () => bundleSpec(config));
  const types = await time("types", () => generateTypes(config, document));
  const validators = await time("validators", () => generateValidators(document));

  const outputs: Record<string, string> = {
    [generatedFiles.bundle]: text,
    [generatedFiles.types]: types,
    [generatedFiles.validators]: validators.code,
    [generatedFiles.validatorTypes]: validators.types,
  };
  const changed = Object.entries(outputs)
    .filter(([path, content]) => (check ? isStale(path, content) : writeIfChanged(path, content)))
    .map(([path]) => path);

  // A stale file makes the typecheck meaningless in --check mode: report the staleness instead.
  if (!(check && changed.length > 0)) await time("typecheck", typecheck);
  return { timings, changed };
}

function summary({ timings, changed }: PipelineResult, check: boolean): string {
  const total = timings.reduce((sum, { ms }) => sum + ms, 0);
  const rows = timings.map(({ step, ms }) => `  ${step.padEnd(11)} ${ms.toFixed(0).padStart(6)} ms`);
  const files = changed.length === 0 ? "  (none)" : changed.map((path) => `  ${path}`).join("\n");
  return [
    `pipeline${check ? " --check" : ""}: ${total.toFixed(0)} ms`,
    ...rows,
    check ? "stale:" : "changed:",
    files,
    "",
  ].join("\n");
}

runIfMain(import.meta.url, USAGE, async (args) => {
  const check = args.includes("--check");
  const result = await runPipeline({ check });
  if (check && result.changed.length > 0) {
    process.stderr.write(summary(result, check));
    process.stderr.write(
      `generated/ is stale: ${result.changed.join(", ")}. Run \`npm run pipeline\` and commit the result.\n`,
    );
    return 1;
  }
  if (!args.includes("--quiet")) process.stdout.write(summary(result, check));
  return 0;
});
