// api:diff: the wall time of one `npm run api:diff` as a maintainer runs it (npm, tsx and Node start-up included),
// on this project's spec against its released baseline. It only reads, so it runs in the project itself.
// BENCH_APIDIFF_ANCHOR=<dir> also times the same command in another checkout (say, an older api:diff) as the anchor.
import { root } from "../scripts/lib/project.js";
import { type CommandRun, firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, failureSummary, figure, type Section } from "./lib/figures.js";

const GOAL_MS = 1000;

async function timeRuns(ctx: BenchContext, cwd: string, what: string) {
  const samples: number[] = [];
  const failures: string[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    const result: CommandRun = await timeCommand("npm", ["run", "-s", "api:diff"], { cwd });
    ctx.log(`api:diff (${what}) run ${run}/${ctx.runs}: ${result.ms.toFixed(0)} ms, exit ${result.code}`);
    samples.push(result.ms);
    if (result.code !== 0) failures.push(`exit ${result.code}: ${firstLine(result)}`);
  }
  return { samples, failed: failureSummary(failures, ctx.runs) };
}

export async function apiDiffBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const anchorDir = process.env.BENCH_APIDIFF_ANCHOR;
  const anchor = anchorDir
    ? figure({
        id: "apidiff.anchor",
        label: `npm run api:diff in ${anchorDir}`,
        unit: "ms",
        ...(await timeRuns(ctx, anchorDir, "anchor")),
      })
    : undefined;
  const ours = await timeRuns(ctx, root, "this project");
  const figures = [
    ...(anchor ? [anchor] : []),
    figure({
      id: "apidiff.ours",
      label: "npm run api:diff (this project's spec against its baseline)",
      unit: "ms",
      samples: ours.samples,
      ...(ours.failed && { failed: ours.failed }),
      ...(anchor && { anchor: anchorOf(anchor) }),
      goal: { text: `≤ ${GOAL_MS} ms wall`, met: (median) => median <= GOAL_MS },
    }),
  ];
  return {
    id: "apidiff",
    title: "api:diff",
    figures,
    notes: [
      "Wall time from spawning `npm run -s api:diff` until it exits: npm, tsx and Node start-up included, as a " +
        "maintainer waits for it. The run diffs generated/openapi.json against the newest spec/releases baseline.",
    ],
    seconds: (performance.now() - start) / 1000,
  };
}
