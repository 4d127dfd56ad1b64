// 6. The CLI's send ledger at scale and under attack. Peak RSS of the BUILT CLI sending 100,000 and 1,000,000
// recipients from a CSV to a loopback fake (recipients stream: two passes over the file, one phone registry entry per
// recipient, one chunk per request in flight), and the kill -9 trials of test/at-most-once run with many more seeds
// than npm test runs.

import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions, entryPoints } from "../scripts/build.js";
import { root } from "../scripts/lib/project.js";
import { startFaultServer } from "../test/support/fault-server.js";
import { firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { type Figure, figure, type Section } from "./lib/figures.js";

const SIZES = [100_000, 1_000_000] as const;
const RSS_GOAL_MB = 250;
const KILL_TRIALS = { quick: 10, full: 40 };

export async function ledgerBench(ctx: BenchContext): Promise<Section> {
  const started = performance.now();
  const dir = mkdtempSync(join(root, ".tmp-bench-ledger-"));
  try {
    await build({ ...bundleOptions, entryPoints: { cli: entryPoints.cli }, outdir: dir, metafile: false });
    // Written by the child at exit: the whole process's peak resident memory (getrusage ru_maxrss).
    const preload = join(dir, "peak-rss.mjs");
    writeFileSync(
      preload,
      'import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS)));\n',
    );
    for (const size of SIZES) await writeUsers(join(dir, `users-${size}.csv`), size);
    const csvBytes = statSync(join(dir, `users-${SIZES[1]}.csv`)).size;
    const fake = await startFaultServer({ accept: true });
    const rss = new Map<number, number[]>(SIZES.map((size) => [size, []]));
    const rate = new Map<number, number[]>(SIZES.map((size) => [size, []]));
    const failures: string[] = [];
    try {
      for (let run = 1; run <= ctx.runs; run++) {
        for (const size of SIZES) {
          ctx.log(`ledger: ${size} recipients through the built CLI, run ${run}/${ctx.runs}`);
          const rssFile = join(dir, `rss-${size}-${run}`);
          const result = await timeCommand(
            process.execPath,
            [
              ...["--import", preload, join(dir, "cli.js"), "send", "--nki", "42", "--from", "Acme"],
              ...["--message", "Hur nöjd är du?", "--users", join(dir, `users-${size}.csv`), "--json"],
              ...["--journal", join(dir, `journal-${size}-${run}.jsonl`), "--base-url", fake.url],
              ...["--concurrency", "4"],
            ],
            { cwd: dir, env: { PATH: process.env.PATH, PEAK_RSS_FILE: rssFile, IP1_TOKEN: "bench-token" } },
          );
          if (result.code !== 0) {
            failures.push(`${size}: exit ${result.code}: ${whyFailed(result.stdout) ?? firstLine(result)}`);
            continue;
          }
          rss.get(size)?.push(Number(readFileSync(rssFile, "utf8")) / 1024);
          rate.get(size)?.push(size / (result.ms / 1000));
        }
      }
    } finally {
      await fake.close();
    }
    const figures: Figure[] = SIZES.flatMap((size) => [
      figure({
        id: `ledger.rss.${size}`,
        label: `peak RSS, ${size.toLocaleString("en")} recipients from a CSV (built CLI)`,
        unit: "MB",
        samples: rss.get(size) ?? [],
        goal: { text: `≤ ${RSS_GOAL_MB} MB`, met: (median) => median <= RSS_GOAL_MB },
        failed: failures.length ? failures.join("; ") : undefined,
      }),
      figure({
        id: `ledger.rate.${size}`,
        label: `${size.toLocaleString("en")} recipients: whole run, validation to last journal line`,
        unit: "recipients/s",
        samples: rate.get(size) ?? [],
      }),
    ]);

    const trials = ctx.quick ? KILL_TRIALS.quick : KILL_TRIALS.full;
    ctx.log(`ledger: ${trials} kill -9 trials (test/at-most-once/kill.test.ts)`);
    const attack = await timeCommand(
      process.execPath,
      ["node_modules/vitest/vitest.mjs", "run", "test/at-most-once/kill.test.ts"],
      { cwd: root, env: { ...process.env, AT_MOST_ONCE_TRIALS: String(trials), NO_COLOR: "1", FORCE_COLOR: "0" } },
    );
    const passed = /Tests\s+(\d+) passed/.exec(attack.stdout)?.[1];
    return {
      id: "ledger",
      title: "CLI send ledger: memory at scale, and kill -9 trials",
      figures,
      notes: [
        "Each run is a fresh `node cli.js send --users FILE.csv --concurrency 4` against the loopback fake " +
          "(one record per recipient); peak RSS is the child's own maxRSS at exit. The 1,000,000-row CSV is " +
          `${(csvBytes / 1e6).toFixed(0)} MB.`,
        `kill -9 trials: ${trials} seeds, ${passed ?? 0} passed (exit ${attack.code}); each asserts that no phone ` +
          "reached the counting server twice and that every recipient ends in exactly one reported state.",
      ],
      ...(attack.code !== 0 ? { error: `kill -9 trials failed: ${firstLine(attack)}` } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error, or the first unknown chunk's reason, from the --json report. */
function whyFailed(stdout: string): string | undefined {
  try {
    const report = JSON.parse(stdout) as { error?: string; unknownChunks?: { chunk: number; reason: string }[] };
    const unknown = report.unknownChunks?.[0];
    return report.error ?? (unknown && `chunk ${unknown.chunk} unknown: ${unknown.reason}`);
  } catch {
    return undefined;
  }
}

async function writeUsers(path: string, count: number) {
  const out = createWriteStream(path);
  out.write("FirstName,LastName,Phone\n");
  for (let i = 0; i < count; i++) {
    const line = `Namn${i},Efternamn ${i},+4670${String(i).padStart(7, "0")}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
