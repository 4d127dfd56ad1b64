// The pipeline section's figures, from what was measured on each Node: ids stable per Node
// (`pipeline.node22.cold`), goals judged per Node against that Node's own chain, and rows grouped by what they
// measure so one figure can be read across Node versions.
import { anchorOf, type Figure, type FigureSpec, failureSummary, figure } from "./lib/figures.js";
import type { Timings } from "./lib/node-runner.js";
import { median } from "./lib/stats.js";
import type { NodeMeasurements } from "./pipeline-node.js";

/** The steps of the cold runs' split, in the order the pipeline runs them. */
const STEPS = ["config", "bundle", "lint", "types", "validators", "version", "typecheck", "rest"];
const STEP_LABELS: Record<string, string> = {
  config: "config (loading Redocly and redocly.yaml)",
  lint: "lint (main thread, beside types and validators)",
  types: "types (on the worker thread)",
  validators: "validators (on the worker thread)",
  typecheck: "typecheck (TS7, own process, from the start)",
  rest: "start-up and the rest",
};

const fasterBy = (times: number) => ({
  text: `≥ ${times}× faster than the chain`,
  met: (_: number, ratio: number | undefined) => ratio !== undefined && ratio <= 1 / times,
});
const atMost = (ms: number, text: string) => ({ text, met: (median: number) => median <= ms });
/** A lever pays when the run with it is clearly faster than the one without (5%: less is within the noise). */
const PAYS = {
  text: "pays: ≥ 5% faster than without",
  met: (_: number, ratio: number | undefined) => ratio !== undefined && ratio <= 0.95,
};

/** One Node's figures; `watch` starts with the end-to-end figure, the one with the goal. */
interface NodeFigures {
  chain: Figure;
  chainTs7: Figure;
  cold: Figure;
  coldVsTs7: Figure;
  firstRun: Figure;
  noOp: Figure;
  watch: [Figure, ...Figure[]];
  steps: Figure[];
  levers: Figure[];
}

export function pipelineFigures(measured: readonly NodeMeasurements[], runs: number): Figure[] {
  const perNode = measured.map((node) => nodeFigures(node, runs));
  const all = (pick: (figures: NodeFigures) => Figure | Figure[]) => perNode.flatMap(pick);
  return [
    ...all((f) => f.cold),
    ...all((f) => f.noOp),
    ...all((f) => f.watch[0]),
    ...all((f) => f.firstRun),
    ...all((f) => f.chain),
    ...all((f) => f.chainTs7),
    ...all((f) => f.coldVsTs7),
    ...all((f) => f.watch.slice(1)),
    ...all((f) => f.steps),
    ...all((f) => f.levers),
  ];
}

function nodeFigures(measured: NodeMeasurements, runs: number): NodeFigures {
  const { major } = measured.node;
  const id = (name: string) => `pipeline.node${major}.${name}`;
  const on = (label: string) => `Node ${major}: ${label}`;
  const failed = (timings: Timings) => failureSummary(timings.failures, runs);
  const timed = (name: string, label: string, timings: Timings, rest: Partial<FigureSpec> = {}) =>
    figure({ id: id(name), label: on(label), unit: "ms", samples: timings.ms, failed: failed(timings), ...rest });

  const chain = timed("chain", "CLI chain (TS 5.9 tsc)", measured.chain.ts59);
  const chainTs7 = timed("chain-ts7", "CLI chain (TS7 tsc)", measured.chain.ts7, { anchor: anchorOf(chain) });
  const chainFailed = failed(measured.chain.ts59);
  const cold = timed("cold", "npm run pipeline, cold (step cache removed)", measured.cold, {
    anchor: anchorOf(chain),
    goal: fasterBy(3),
    failed: failed(measured.cold) ?? (chainFailed && `its anchor, the chain: ${chainFailed}`),
  });
  const coldVsTs7 = timed("cold-vs-chain-ts7", "npm run pipeline, cold, against the TS7 chain", measured.cold, {
    anchor: anchorOf(chainTs7),
  });
  const firstRun = timed("first-run", "npm run pipeline, first run (nothing cached)", measured.firstRun, {
    anchor: anchorOf(chain),
  });
  const noOp = timed("no-op", "npm run pipeline, no-op (nothing changed)", measured.noOp, {
    anchor: anchorOf(cold),
    goal: atMost(500, "≤ 0.5 s"),
  });

  const { watch } = measured;
  const watchFailed = failureSummary(watch.failures, runs);
  const endToEnd = figure({
    id: id("watch.edit-to-regenerated"),
    label: on("--watch: spec edit → “regenerated” line (with typecheck)"),
    unit: "ms",
    samples: watch.endToEnd,
    goal: { text: "< 300 ms", met: (median) => median < 300 },
    failed: watchFailed,
  });
  const watchParts = [
    ["watch.generation", "--watch: generation only (printed total − typecheck)", watch.generation],
    ["watch.typecheck", "--watch: typecheck step (TS7, src + generated)", watch.typecheck],
  ] as const;
  const watchFigures: NodeFigures["watch"] = [
    endToEnd,
    ...watchParts.map(([name, label, samples]) =>
      figure({ id: id(name), label: on(label), unit: "ms", samples: [...samples], anchor: anchorOf(endToEnd) }),
    ),
  ];

  const steps = STEPS.filter((step) => measured.coldSteps[step]).map((step) =>
    figure({
      id: id(`step.${step}`),
      label: on(`cold split: ${STEP_LABELS[step] ?? step}`),
      unit: "ms",
      samples: measured.coldSteps[step] ?? [],
      anchor: anchorOf(cold),
    }),
  );

  return {
    chain,
    chainTs7,
    cold,
    coldVsTs7,
    firstRun,
    noOp,
    watch: watchFigures,
    steps,
    levers: leverFigures(measured, timed),
  };
}

type Timed = (name: string, label: string, timings: Timings, rest?: Partial<FigureSpec>) => Figure;

/** Each lever as two rows: the run without it, then the run with it anchored to that (ratio < 1: it pays). */
function leverFigures({ levers }: NodeMeasurements, timed: Timed): Figure[] {
  const pair = (name: string, without: [string, Timings], withIt: [string, Timings]) => {
    const base = timed(`lever.${name}.without`, without[0], without[1]);
    return [base, timed(`lever.${name}.with`, withIt[0], withIt[1], { anchor: anchorOf(base), goal: PAYS })];
  };
  // (f) without the early typecheck: the generation, then the typecheck, as two runs of one turn, less the start-up
  // they would share (a no-op run's median).
  const startUp = levers.noOp.ms.length > 0 ? median(levers.noOp.ms) : 0;
  const serial: Timings = {
    ms: levers.generationOnly.ms.flatMap((ms, run) => {
      const typecheck = levers.typecheckOnly.ms[run];
      return typecheck === undefined ? [] : [ms + typecheck - startUp];
    }),
    failures: [...levers.generationOnly.failures, ...levers.typecheckOnly.failures],
  };
  return [
    ...pair(
      "require-typescript",
      ['lever (a) without: fresh `node -e` with import("typescript")', levers.importTypescript],
      ['lever (a) with: fresh `node -e` with require("typescript")', levers.requireTypescript],
    ),
    ...(levers.noCompileCache
      ? pair(
          "compile-cache",
          ["lever (b) without: cold pipeline, NODE_DISABLE_COMPILE_CACHE=1", levers.noCompileCache],
          ["lever (b) with: cold pipeline, compile cache kept", levers.cold],
        )
      : []),
    ...pair(
      "run-ts",
      ["lever (c) without: cold pipeline under tsx (`node --import tsx`)", levers.tsx],
      ["lever (c) with: cold pipeline under run-ts.mjs", levers.cold],
    ),
    ...pair(
      "lazy-imports",
      ["lever (d) without: bare `node -e` loading Redocly, openapi-typescript, ajv", levers.bareLibraries],
      ["lever (d) with: no-op pipeline run (loads none of them)", levers.noOp],
    ),
    ...pair(
      "early-typecheck",
      ["lever (f) without: generation, then the typecheck (two runs, less one start-up)", serial],
      ["lever (f) with: cold pipeline, the typecheck started at the beginning", levers.cold],
    ),
    ...pair(
      "require-redocly",
      ["lever (e) without: a script under run-ts.mjs that import()s Redocly", levers.importRedocly],
      ["lever (e) with: the same with require()", levers.requireRedocly],
    ),
  ];
}
