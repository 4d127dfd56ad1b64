// 1. The pipeline: `npm run pipeline` (one Node process calling each library) against the chain of CLIs doing the
// same work, each in a temporary copy of the project; plus --watch regeneration after a one-field spec edit.
import { join } from "node:path";
import { packageFile } from "../scripts/lib/run-node.js";
import { type CommandRun, firstLine, timeNodeScript } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, type Figure, failureSummary, figure, type Section } from "./lib/figures.js";
import { generationMs, parseSteps } from "./lib/pipeline-output.js";
import { addSample } from "./lib/stats.js";
import { createTempProject } from "./lib/temp-project.js";
import { measureWatch } from "./pipeline-watch.js";

export const tsxCli = packageFile("tsx", "dist/cli.mjs");
const redocly = packageFile("@redocly/cli", "bin/cli.js");
const openapiTypescript = packageFile("openapi-typescript", "bin/cli.js");
const tsc59 = packageFile("typescript", "bin/tsc");
const tsc7 = packageFile("typescript7", "bin/tsc");

// Neither an update check nor telemetry (the network is closed here, and a timeout would be measured as work).
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

/** The chain, step by step. Run one after another, its time is the sum of theirs. */
function chainSteps(dir: string): Record<string, [string, string[]]> {
  return {
    "redocly lint": [redocly, ["lint"]],
    "redocly bundle": [redocly, ["bundle", "spec/openapi.yaml", "-o", join(dir, "chain-bundle.json")]],
    // The CLI takes input and output from redocly.yaml's `apis:` but not `rootTypes`; the flags make the same file.
    "openapi-typescript": [openapiTypescript, ["--root-types", "--root-types-no-schema-prefix"]],
    "tsc 5.9 --noEmit": [tsc59, ["--noEmit", "-p", "tsconfig.lib.json"]],
  };
}

const PIPELINE_STEPS = ["config", "lint", "bundle", "types", "validators", "typecheck"] as const;

interface Runs {
  ours: number[];
  chain: number[];
  chainTs7: number[];
  chainSteps: Record<string, number[]>;
  tsc7: number[];
  steps: Record<string, number[]>;
  /** Why runs failed (a failing typecheck still does the work, so the time is kept but the goal is not judged). */
  oursFailed: string[];
  chainFailed: string[];
}

export async function pipelineBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const project = createTempProject();
  try {
    const runs: Runs = {
      ours: [],
      chain: [],
      chainTs7: [],
      chainSteps: {},
      tsc7: [],
      steps: {},
      oursFailed: [],
      chainFailed: [],
    };
    if (!ctx.quick) {
      ctx.log("pipeline: warm-up (one untimed run of each, to fill the file cache)");
      await runOurs(project.dir);
      await runChain(project.dir);
    }
    for (let run = 1; run <= ctx.runs; run++) {
      ctx.log(`pipeline: run ${run}/${ctx.runs}`);
      // Alternate the order so neither side always runs on a cache the other warmed.
      const order = run % 2 === 1 ? [measureOurs, measureChain] : [measureChain, measureOurs];
      for (const measure of order) await measure(project.dir, runs);
    }
    ctx.log("pipeline: --watch, one-field spec edits");
    const watch = await measureWatch(project.dir, ctx.runs, ctx.log);
    const figures = pipelineFigures(runs, ctx.runs);
    const ours = figures[0] as Figure;
    figures.push(
      figure({
        id: "pipeline.watch.edit-to-regenerated",
        label: "--watch: spec edit → “regenerated” line (with typecheck)",
        unit: "ms",
        samples: watch.endToEnd,
        anchor: anchorOf(ours),
        goal: { text: "< 300 ms", met: (median) => median < 300 },
        failed: failureSummary(watch.failures, ctx.runs),
      }),
      figure({
        id: "pipeline.watch.generation",
        label: "--watch: generation only (printed total − typecheck)",
        unit: "ms",
        samples: watch.generation,
        anchor: anchorOf(ours),
        goal: { text: "< 300 ms", met: (median) => median < 300 },
        failed: failureSummary(watch.failures, ctx.runs),
      }),
      figure({
        id: "pipeline.watch.typecheck",
        label: "--watch: typecheck step (TS7, src + generated)",
        unit: "ms",
        samples: watch.typecheck,
        anchor: anchorOf(ours),
      }),
    );
    return {
      id: "pipeline",
      title: "1. Pipeline",
      figures,
      notes: [
        "Both sides run in the same temporary copy of the project (spec/, scripts/, src/, generated/, test/, " +
          "redocly.yaml, tsconfig*.json, package.json; node_modules symlinked), timed from spawn to exit.",
        "Ours: `node_modules/.bin/tsx scripts/pipeline.ts` (what `npm run pipeline` runs, without npm's own start-up). " +
          "It lints, bundles, generates types and validators, and typechecks src/ + generated/ with TS7.",
        "The chain: `redocly lint`, `redocly bundle` (to a temp file), `openapi-typescript` (CLI), " +
          "`tsc --noEmit -p tsconfig.lib.json` (TS 5.9), one after another; its time is the sum of the steps in that run. " +
          "It makes no validators (no CLI step here does), so it does less work than ours. " +
          "“Chain (TS7 tsc)” swaps the last step for TS7's tsc, measured in the same run.",
        "Pipeline steps come from the pipeline's own printed summary; ratio = share of our median wall time. " +
          "`types` runs on a worker thread alongside `validators`, so the shares overlap; " +
          "“start-up and the rest” = wall − config − lint − bundle − max(types, validators) − typecheck.",
        "--watch: a warm `tsx scripts/pipeline.ts --watch` in the copy; each run flips one `maxLength` in " +
          "spec/components/schemas/NkiUser.yaml and times the write until the “regenerated in N ms” line arrives " +
          "(includes fs.watch latency, a 30 ms debounce and the TS7 typecheck). One warm-up edit is not counted.",
      ],
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    project.remove();
  }
}

function runOurs(dir: string): Promise<CommandRun> {
  return timeNodeScript(tsxCli, ["scripts/pipeline.ts"], { cwd: dir, env });
}

async function runChain(dir: string): Promise<Record<string, CommandRun>> {
  const results: Record<string, CommandRun> = {};
  for (const [step, [script, args]] of Object.entries(chainSteps(dir))) {
    results[step] = await timeNodeScript(script, args, { cwd: dir, env });
  }
  return results;
}

async function measureOurs(dir: string, runs: Runs) {
  const result = await runOurs(dir);
  runs.ours.push(result.ms);
  if (result.code !== 0) runs.oursFailed.push(`exit ${result.code}: ${firstLine(result)}`);
  const steps = parseSteps(result.stdout);
  for (const step of PIPELINE_STEPS) {
    const ms = steps[step];
    if (ms !== undefined) addSample(runs.steps, step, ms);
  }
  if (steps.typecheck !== undefined) addSample(runs.steps, "rest", result.ms - generationMs(steps) - steps.typecheck);
}

async function measureChain(dir: string, runs: Runs) {
  const results = await runChain(dir);
  let total = 0;
  for (const [step, result] of Object.entries(results)) {
    total += result.ms;
    addSample(runs.chainSteps, step, result.ms);
    if (result.code !== 0) runs.chainFailed.push(`step \`${step}\` exited ${result.code}: ${firstLine(result)}`);
  }
  runs.chain.push(total);
  const ts7 = await timeNodeScript(tsc7, ["--noEmit", "-p", "tsconfig.lib.json"], { cwd: dir, env });
  runs.tsc7.push(ts7.ms);
  runs.chainTs7.push(total - (results["tsc 5.9 --noEmit"]?.ms ?? 0) + ts7.ms);
}

function pipelineFigures(runs: Runs, count: number): Figure[] {
  const oursFailed = failureSummary(runs.oursFailed, count);
  const chainFailed = failureSummary(runs.chainFailed, count);
  const chain = figure({
    id: "pipeline.chain",
    label: "CLI chain (TS 5.9 tsc)",
    unit: "ms",
    samples: runs.chain,
    failed: chainFailed,
  });
  const chainTs7 = figure({
    id: "pipeline.chain-ts7",
    label: "CLI chain (TS7 tsc)",
    unit: "ms",
    samples: runs.chainTs7,
    anchor: anchorOf(chain),
  });
  const fasterBy = (times: number) => ({
    text: `≥ ${times}× faster than the chain`,
    met: (_: number, ratio: number | undefined) => ratio !== undefined && ratio <= 1 / times,
  });
  const ours = figure({
    id: "pipeline.ours",
    label: "npm run pipeline (tsx scripts/pipeline.ts)",
    unit: "ms",
    samples: runs.ours,
    anchor: anchorOf(chain),
    goal: fasterBy(3),
    failed: oursFailed ?? (chainFailed && `its anchor, the chain: ${chainFailed}`),
  });
  const oursVsTs7 = figure({
    id: "pipeline.ours-vs-chain-ts7",
    label: "npm run pipeline, against the TS7 chain",
    unit: "ms",
    samples: runs.ours,
    anchor: anchorOf(chainTs7),
  });
  const chainStepFigures = Object.entries({ ...runs.chainSteps, "tsc 7 --noEmit": runs.tsc7 }).map(([step, samples]) =>
    figure({
      id: `pipeline.chain.${step}`,
      label: `chain step: ${step}`,
      unit: "ms",
      samples,
      anchor: anchorOf(chain),
    }),
  );
  const stepFigures = Object.entries(runs.steps).map(([step, samples]) =>
    figure({
      id: `pipeline.step.${step}`,
      label: `pipeline step: ${step === "rest" ? "start-up and the rest" : step}`,
      unit: "ms",
      samples,
      anchor: anchorOf(ours),
    }),
  );
  return [ours, oursVsTs7, chain, chainTs7, ...chainStepFigures, ...stepFigures];
}
