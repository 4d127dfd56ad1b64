// Everything the pipeline section measures on one Node version, in a temporary project of its own (so its caches
// are its own): the pipeline's first, cold and no-op runs, the CLI chain, --watch, and the levers.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { readNodeScript } from "../test/support/npm-script.js";
import { copyProject } from "../test/support/project-copy.js";
import type { BenchContext } from "./lib/context.js";
import { inTurn } from "./lib/in-turn.js";
import type { NodeUnderTest } from "./lib/node-binaries.js";
import { nodeRunner, noTimings, record, type Timings } from "./lib/node-runner.js";
import { removeAllCaches, removeStepCache } from "./lib/pipeline-caches.js";
import { parseSteps, restMs } from "./lib/pipeline-output.js";
import { addSample } from "./lib/stats.js";
import { type ChainTimings, runChain } from "./pipeline-chain.js";
import { type LeverTimings, measureLevers, noLeverTimings } from "./pipeline-levers.js";
import { measureWatch, type WatchRuns } from "./pipeline-watch.js";

export interface NodeMeasurements {
  node: NodeUnderTest;
  /** `node <args>`: what package.json's scripts.pipeline runs. */
  pipelineArgs: string[];
  /** Nothing cached, not even the compile cache. */
  firstRun: Timings;
  /** The step cache removed, the compile cache kept. */
  cold: Timings;
  /** Each step's time in the cold runs, from the printed summary; "rest" is start-up and the rest. */
  coldSteps: Record<string, number[]>;
  /** Nothing changed since the last run. */
  noOp: Timings;
  chain: ChainTimings;
  watch: WatchRuns;
  levers: LeverTimings;
}

/** A directory inside the project's cache: the first run's tsx cache goes there, so it is removed with the rest. */
const FIRST_RUN_TMPDIR = "node_modules/.cache/ip1-nki/tmp";

/**
 * `warmChain`: one untimed chain run first, to bring its libraries into the file cache (they are the same files on
 * every Node, so the first Node measured does it for all).
 */
export async function measureOnNode(
  node: NodeUnderTest,
  ctx: BenchContext,
  { warmChain }: { warmChain: boolean },
): Promise<NodeMeasurements> {
  const project = copyProject("ip1-nki-bench-");
  try {
    const runner = nodeRunner(node, project.dir);
    const pipelineArgs = readNodeScript(project.dir, "pipeline");
    const label = `pipeline on Node ${node.major} (${node.version})`;
    const measured: NodeMeasurements = {
      node,
      pipelineArgs,
      firstRun: noTimings(),
      cold: noTimings(),
      coldSteps: {},
      noOp: noTimings(),
      chain: { ts59: noTimings(), ts7: noTimings() },
      watch: { endToEnd: [], generation: [], typecheck: [], failures: [] },
      levers: noLeverTimings(),
    };

    if (!ctx.quick) {
      ctx.log(`${label}: warm-up (untimed, to fill the file cache)`);
      await runner.run(pipelineArgs);
      if (warmChain) await runChain(runner, { ts59: noTimings(), ts7: noTimings() });
    }

    for (let run = 1; run <= ctx.runs; run++) {
      ctx.log(`${label}: first run ${run}/${ctx.runs}`);
      removeAllCaches(project.dir);
      // tsx (Node 20) keeps its own cache in the temporary directory: a fresh one, so that is empty too.
      const tmpdir = join(project.dir, FIRST_RUN_TMPDIR);
      mkdirSync(tmpdir, { recursive: true });
      record(measured.firstRun, await runner.run(pipelineArgs, { TMPDIR: tmpdir }));
    }
    // The last first run filled the compile cache the cold runs keep.

    for (let run = 1; run <= ctx.runs; run++) {
      ctx.log(`${label}: cold run and chain ${run}/${ctx.runs}`);
      const cold = async () => {
        removeStepCache(project.dir);
        const result = record(measured.cold, await runner.run(pipelineArgs));
        const steps = parseSteps(result.stdout);
        for (const [step, ms] of Object.entries(steps)) addSample(measured.coldSteps, step, ms);
        addSample(measured.coldSteps, "rest", restMs(result.ms, steps));
      };
      const chain = () => runChain(runner, measured.chain);
      for (const measure of inTurn(run, [cold, chain])) await measure();
    }

    ctx.log(`${label}: no-op runs`);
    for (let run = 1; run <= ctx.runs; run++) record(measured.noOp, await runner.run(pipelineArgs));

    measured.levers = await measureLevers(runner, pipelineArgs, ctx.runs, ctx.log);

    ctx.log(`${label}: --watch, one-field spec edits`);
    try {
      measured.watch = await measureWatch(runner, [...pipelineArgs, "--watch"], ctx.runs, ctx.log);
    } catch (error) {
      // The other figures stand; the watch figures say why they have no runs.
      measured.watch.failures.push(error instanceof Error ? error.message : String(error));
    }
    return measured;
  } finally {
    project.remove();
  }
}
