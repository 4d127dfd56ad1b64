// 4. The test suite: wall time of `npm test` in the work tree, and how much of it is Prism starting.

import { fromRoot, root } from "../scripts/lib/project.js";
import { startPrism } from "../test/support/prism.js";
import { firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, failureSummary, figure, type Section } from "./lib/figures.js";

const GOAL_MS = 60_000;

/** Vitest's own "Duration 12.3s (…)" line, in ms; it covers the vitest part of `npm test` only. */
export function vitestDuration(output: string): number | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes vitest prints
  const match = /Duration\s+([\d.]+)(ms|s)\b/.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

export async function testSuiteBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  // A whole `npm test` is long; --quick runs it once (the report says so).
  const suiteRuns = ctx.quick ? 1 : ctx.runs;
  const suite: number[] = [];
  const vitest: number[] = [];
  const failures: string[] = [];
  for (let run = 1; run <= suiteRuns; run++) {
    ctx.log(`test suite: npm test ${run}/${suiteRuns}`);
    const result = await timeCommand("npm", ["test"], { cwd: root });
    suite.push(result.ms);
    const vitestMs = vitestDuration(result.stdout);
    if (vitestMs !== undefined) vitest.push(vitestMs);
    if (result.code !== 0) failures.push(`exit ${result.code}: ${firstLine(result)}`);
  }
  const prism: number[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`test suite: Prism start-up ${run}/${ctx.runs}`);
    const started = process.hrtime.bigint();
    const mock = await startPrism(fromRoot("generated/openapi.json"));
    prism.push(Number(process.hrtime.bigint() - started) / 1e6);
    await mock.stop();
  }
  const npmTest = figure({
    id: "tests.npm-test",
    label: "npm test (biome, pipeline --check, typecheck, vitest)",
    unit: "ms",
    samples: suite,
    anchor: { label: "the 60 s budget", median: GOAL_MS },
    goal: { text: "< 60 s on 2 cores", met: (median) => median < GOAL_MS },
    failed: failureSummary(failures, suiteRuns),
  });
  return {
    id: "tests",
    title: "4. Test suite",
    figures: [
      npmTest,
      figure({
        id: "tests.vitest",
        label: "of which vitest run (its own “Duration”, Prism start included)",
        unit: "ms",
        samples: vitest,
        anchor: anchorOf(npmTest),
      }),
      figure({
        id: "tests.prism-start",
        label: "Prism start-up (startPrism until it answers)",
        unit: "ms",
        samples: prism,
        anchor: anchorOf(npmTest),
      }),
    ],
    notes: [
      "`npm test` runs in the real work tree (it writes nothing), timed from spawn to exit, npm's own start-up " +
        "included. It is `biome check`, `pipeline --check`, the whole-repo typecheck, then `vitest run`; the vitest " +
        "figure is the Duration vitest prints (the rest is the three checks and npm).",
      "Prism: `startPrism(generated/openapi.json)` from test/support/prism.ts, from the call until Prism answers " +
        "HTTP; ratio = its share of `npm test` (the suite starts one Prism in vitest's globalSetup, before any test runs).",
      ...(suiteRuns < ctx.runs ? [`--quick: npm test ran ${suiteRuns} time(s) only.`] : []),
    ],
    seconds: (performance.now() - start) / 1000,
  };
}
