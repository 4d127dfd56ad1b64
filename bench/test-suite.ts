// 4. The test suite: wall time of `npm test` in the work tree, and the part of it that is vitest.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { root } from "../scripts/lib/project.js";
import type { FileUsage } from "../test/support/file-usage.js";
import { type CommandRun, failure, plain, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, failureSummary, figure, type Section } from "./lib/figures.js";

const [GOAL_MS, BUSY_GOAL_MS] = [60_000, 150_000]; // idle, and beside three busy processes

/** Vitest's own "Duration 12.3s (…)" line, in ms; it covers the vitest part of `npm test` only. */
export function vitestDuration(output: string): number | undefined {
  const match = /Duration\s+([\d.]+)(ms|s)\b/.exec(plain(output));
  return match ? Number(match[1]) * (match[2] === "s" ? 1000 : 1) : undefined;
}

export async function testSuiteBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const runs = ctx.quick ? 1 : ctx.runs; // a whole `npm test` is long
  const [suite, vitest, failures] = [[] as number[], [] as number[], [] as string[]];
  const usageLog = join(tmpdir(), `ip1-nki-bench-file-usage-${randomUUID()}.jsonl`); // the first run's, by test file
  for (let run = 1; run <= runs; run++) {
    ctx.log(`test suite: npm test ${run}/${runs}`);
    const env = run === 1 ? { ...process.env, IP1_NKI_FILE_USAGE: usageLog } : process.env;
    const result = await timeCommand("npm", ["test"], { cwd: root, env });
    suite.push(result.ms);
    const vitestMs = vitestDuration(result.stdout);
    if (vitestMs !== undefined) vitest.push(vitestMs);
    if (result.code !== 0) failures.push(failure(result));
  }
  // Three more runs beside three CPU-bound processes (each killed by its PID), as on a shared CI machine.
  const besideBusy: CommandRun[] = [];
  for (let run = 1; run <= Math.min(runs, 3); run++) {
    ctx.log(`test suite: npm test beside three busy processes, run ${run}`);
    const busy = [1, 2, 3].map(() => spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }));
    const stopBusy = () => busy.forEach((child) => void child.kill("SIGKILL"));
    besideBusy.push(await timeCommand("npm", ["test"], { cwd: root }).finally(stopBusy));
  }
  const npmTest = figure({
    id: "tests.npm-test",
    label: "npm test (biome, pipeline --check, typecheck, vitest)",
    unit: "ms",
    samples: suite,
    anchor: { label: "the 60 s budget", median: GOAL_MS },
    goal: { text: "< 60 s on 2 cores", met: (median) => median < GOAL_MS },
    failed: failureSummary(failures, runs),
  });
  return {
    id: "tests",
    title: "4. Test suite",
    figures: [
      npmTest,
      figure({ id: "tests.vitest", label: "of which vitest", unit: "ms", samples: vitest, anchor: anchorOf(npmTest) }),
      figure({
        id: "tests.npm-test.busy",
        label: "npm test beside three busy processes",
        unit: "ms",
        samples: besideBusy.map((run) => run.ms),
        goal: { text: "< 150 s on 2 cores", met: (median) => median < BUSY_GOAL_MS },
        failed: failureSummary(besideBusy.filter((run) => run.code !== 0).map(failure), besideBusy.length),
      }),
    ],
    notes: [
      "`npm test` in the real work tree (it writes nothing), from spawn to exit, npm's start-up included: " +
        "`biome check`, `pipeline --check`, the whole-repo typecheck, then `vitest run` (its Duration is the " +
        "second figure). The kill -9 trials run 3 seeds here; `AT_MOST_ONCE_TRIALS=N npx vitest run test/at-most-once` runs more. " +
        'Beside three busy processes (three runs): three `node -e "for (;;);"` at the same priority, killed as npm test ends.',
      whereTheTimeGoes(usageLog),
      ...(runs < ctx.runs ? [`--quick: npm test ran ${runs} time(s) only.`] : []),
    ],
    seconds: (performance.now() - start) / 1000,
  };
}

/** The first run's CPU by test file (test/support/file-usage.ts): in all, in the processes tests start, the costliest. */
function whereTheTimeGoes(log: string): string {
  const lines = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  rmSync(log, { force: true });
  const files = lines.map((line) => JSON.parse(line) as FileUsage);
  const cost = (file: FileUsage) => file.cpuS + file.childrenCpuS;
  const total = (of: (file: FileUsage) => number) => files.reduce((sum, file) => sum + of(file), 0).toFixed(0);
  const top = files.sort((a, b) => cost(b) - cost(a)).slice(0, 5);
  return (
    `Where the time goes (the first run): ${total(cost)} s of CPU in the test files, ${total((f) => f.childrenCpuS)} s ` +
    `of it in the processes they start; the costliest: ${top.map((f) => `${relative(root, f.file)} ${cost(f).toFixed(1)} s`).join(", ")}.`
  );
}
