// 5. The ledger at scale and under attack: the built CLI's peak RSS and rate over 100,000 and 1,000,000 CSV recipients
// and a rerun, sendNkiBulk's rate with no, SQLite and PostgreSQL ledger (bench/ledger-child.ts), at-most-once trials.
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions, entryPoints } from "../scripts/build.js";
import { root } from "../scripts/lib/project.js";
import { startFaultServer } from "../test/support/fault-server.js";
import { startPostgres } from "../test/support/postgres.js";
import { failure, firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";

const SIZES = [100_000, 1_000_000] as const;
/** Peak RSS goals: 200 MB at 100,000 recipients (issue 23), 250 MB at 1,000,000 (issue 19). */
const RSS_GOAL_MB: Record<number, number> = { 100000: 200, 1000000: 250 };
const SEEDS = { quick: { kill: "10", manyWorkers: "2" }, full: { kill: "40", manyWorkers: "5" } }; // npm test runs few
const LIBRARY_KINDS = ["none", "sqlite", "postgres"] as const;
const perSecond = (samples: number[]) => ({ unit: "recipients/s" as const, samples });

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
    const rerun: number[] = [];
    const library: Record<(typeof LIBRARY_KINDS)[number], number[]> = { none: [], sqlite: [], postgres: [] };
    const libraryRss: number[] = [];
    const failures: string[] = [];
    try {
      for (let run = 1; run <= ctx.runs; run++) {
        for (const size of SIZES) {
          ctx.log(`ledger: ${size} recipients through the built CLI, run ${run}/${ctx.runs}`);
          const rssFile = join(dir, `rss-${size}-${run}`);
          const args = [
            ...["--import", preload, join(dir, "cli.js"), "send", "--nki", "42", "--from", "Acme"],
            ...["--message", "Hur nöjd är du?", "--users", join(dir, `users-${size}.csv`), "--json"],
            ...["--ledger", join(dir, `ledger-${size}-${run}.sqlite`), "--base-url", fake.url, "--concurrency", "4"],
          ];
          const env = { PATH: process.env.PATH, PEAK_RSS_FILE: rssFile, IP1_TOKEN: "bench-token" };
          const send = () => timeCommand(process.execPath, args, { cwd: dir, env });
          const result = await send();
          if (result.code !== 0) {
            failures.push(`${size}: exit ${result.code}: ${firstLine(result)}`);
            continue;
          }
          rss.get(size)?.push(Number(readFileSync(rssFile, "utf8")) / 1024);
          rate.get(size)?.push(size / (result.ms / 1000));
          const again = size === SIZES[0] ? await send() : undefined; // everyone held as sent: nobody texted, exit 2
          if (again) again.code === 2 ? rerun.push(again.ms) : failures.push(`rerun: exit ${again.code}`);
        }
      }
      // The library's figure: sendNkiBulk of 20,000 recipients (fresh process each) with no ledger, SQLite, PostgreSQL.
      const postgres = await startPostgres();
      try {
        for (let run = 1; run <= ctx.runs; run++) {
          for (const kind of LIBRARY_KINDS) {
            ctx.log(`ledger: 20,000 recipients through sendNkiBulk, ${kind}, run ${run}/${ctx.runs}`);
            const spec =
              kind === "postgres" ? await postgres.database() : kind === "sqlite" ? join(dir, `${run}.sqlite`) : kind;
            const child = ["--import", "tsx", "bench/ledger-child.ts", fake.url, "20000", spec];
            const result = await timeCommand(process.execPath, child, { cwd: root });
            if (result.code !== 0) failures.push(`library, ${kind}: ${firstLine(result)}`);
            else {
              const { ms, peakRssMb } = JSON.parse(result.stdout) as { ms: number; peakRssMb: number };
              library[kind].push(20_000 / (ms / 1000));
              if (kind === "none") libraryRss.push(peakRssMb);
            }
          }
        }
      } finally {
        await postgres.stop();
      }
    } finally {
      await fake.close();
    }
    const none = figure({ id: "ledger.library.none", label: "sendNkiBulk, no ledger", ...perSecond(library.none) });
    const figures: Figure[] = SIZES.flatMap((size) => [
      figure({
        id: `ledger.rss.${size}`,
        label: `peak RSS, ${size.toLocaleString("en")} recipients from a CSV (built CLI)`,
        unit: "MB",
        samples: rss.get(size) ?? [],
        goal: { text: `≤ ${RSS_GOAL_MB[size]} MB`, met: (median) => median <= (RSS_GOAL_MB[size] ?? 0) },
        failed: failures.length ? failures.join("; ") : undefined,
      }),
      figure({
        id: `ledger.rate.${size}`,
        label: `${size.toLocaleString("en")} recipients: whole run, validation to last ledger write`,
        ...perSecond(rate.get(size) ?? []),
        anchor: anchorOf(none), // the same machine's pace in the same run: the ratio moves less than the figure
        ...(size === 100_000 ? { goal: { text: "≥ 35,000/s (issue 23)", met: (median) => median >= 35_000 } } : {}),
      }),
    ]);
    const again = "100,000 recipients again, all held as sent (a rerun): whole run";
    figures.splice(2, 0, figure({ id: "ledger.rerun.100000", label: again, unit: "ms", samples: rerun }));
    figures.push(
      none,
      ...(["sqlite", "postgres"] as const).map((kind) =>
        figure({
          id: `ledger.library.${kind}`,
          label: `sendNkiBulk, ${kind === "sqlite" ? "SQLite" : "PostgreSQL (fsync off)"} ledger`,
          ...perSecond(library[kind]),
          anchor: anchorOf(none),
          ...(kind === "sqlite" && { goal: { text: "≥ 10,000 recipients/s", met: (median: number) => median >= 1e4 } }),
        }),
      ),
      figure({ id: "ledger.library.rss", label: "sendNkiBulk, no ledger: peak RSS", unit: "MB", samples: libraryRss }),
    );
    const { kill, manyWorkers } = ctx.quick ? SEEDS.quick : SEEDS.full;
    ctx.log(`ledger: ${kill} kill -9 trials, ${manyWorkers} many-workers trials (test/at-most-once)`);
    const attack = await timeCommand(
      process.execPath,
      ["node_modules/vitest/vitest.mjs", "run", "test/at-most-once/kill.test.ts", "test/at-most-once/many-workers"],
      { cwd: root, env: { ...process.env, AT_MOST_ONCE_TRIALS: kill, MANY_WORKERS_SEEDS: manyWorkers, NO_COLOR: "1" } },
    );
    const passed = /Tests\s+(\d+) passed/.exec(attack.stdout)?.[1];
    return {
      id: "ledger",
      title: "5. Bulk sends: the CLI and its ledger at scale, sendNkiBulk, at-most-once trials",
      figures,
      notes: [
        "Each run is a fresh `node cli.js send --users FILE.csv --concurrency 4` against the loopback fake " +
          "(one record per recipient); peak RSS is the child's own maxRSS at exit. The 1,000,000-row CSV is " +
          `${(csvBytes / 1e6).toFixed(0)} MB.`,
        "sendNkiBulk: 20,000 recipients, keepMessages: false, in a fresh process each (bench/ledger-child.ts) to the " +
          "same fake; its rate is over the send alone, its peak RSS the whole process's.",
        `At-most-once trials: ${kill} kill -9 and ${manyWorkers} many-workers seeds (8 workers, 10,000 people): ` +
          `${passed ?? 0} passed (exit ${attack.code}); each asserts nobody reached the fake IP1 twice, one state each`,
      ],
      ...(attack.code !== 0 ? { error: `at-most-once trials failed: ${failure(attack)}` } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
