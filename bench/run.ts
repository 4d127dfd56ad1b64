// `npm run bench`: every benchmark in one run on one machine, then bench/RESULTS.md and bench/results.json.
import { runIfMain } from "../scripts/lib/project.js";
import { apiDiffBench } from "./api-diff.js";
import { bulkBench } from "./bulk.js";
import { bundleSizeBench } from "./bundle-size.js";
import { clientOverheadBench } from "./client-overhead.js";
import { ledgerBench, ledgerLibraryBench } from "./ledger.js";
import { type BenchContext, createContext } from "./lib/context.js";
import type { Section } from "./lib/figures.js";
import { currentLoad, describeMachine } from "./lib/machine.js";
import { RESULTS_JSON, RESULTS_MD, writeResults } from "./lib/report.js";
import { mockBench } from "./mock.js";
import { pipelineBench } from "./pipeline.js";
import { testSuiteBench } from "./test-suite.js";

/** In report order; the key is the name --only takes. */
const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<Section>> = {
  pipeline: pipelineBench,
  client: clientOverheadBench,
  bundle: bundleSizeBench,
  tests: testSuiteBench,
  bulk: bulkBench,
  apidiff: apiDiffBench,
  ledger: ledgerBench,
  "ledger-library": ledgerLibraryBench,
  mock: mockBench,
};

const USAGE = `
Usage: npm run bench [-- --quick] [-- --only NAME[,NAME…]]

Measures, in one run on this machine (each figure the median of 5 runs, with min, max and a ratio to its anchor):
  pipeline  on Node 20 (this machine's), 22, 24, 26: npm run pipeline cold, first run and no-op vs the CLI chain
            (TS 5.9 and TS7 tsc), its per-step split, --watch regeneration, and each start-up lever with and without
  client    ops/s of raw fetch, bare openapi-fetch and sendNki, on one mocked fetch
  bundle    esbuild --minify + gzip -9 of the client, next to openapi-fetch alone
  tests     npm test wall time (5 runs, about 4 minutes) and Prism's start-up
  bulk      10,000 recipients through sendNkiBulk (Prism and a loopback fake); peak RSS from 1,000 to 100,000
  apidiff   npm run api:diff wall time (BENCH_APIDIFF_ANCHOR=<dir> times another checkout as the anchor)
  ledger    peak RSS of the built CLI sending 100,000 and 1,000,000 CSV recipients; 40 kill -9 trials
  ledger-library  recipients/s through sendNkiBulk with no ledger, the SQLite ledger and the PostgreSQL ledger
  mock      the simulator: first answer and sends/s in process; start-up and sends/s over HTTP next to Prism's
Then writes ${RESULTS_MD} and ${RESULTS_JSON}. Progress goes to stderr. Takes about 30 minutes on 2 cores (the ledger's 1,000,000-recipient runs are
half of it; the pipeline on four Node versions about 4).

Options:
  --quick        2 runs per figure (npm test once), to check the harness; the report marks the figures
  --only NAMES   run only these benchmarks (comma-separated); the report says which
Exit status: 1 if a benchmark could not run (never because of a timing).
`;

runIfMain(import.meta.url, USAGE, async (args) => {
  const quick = args.includes("--quick");
  const onlyAt = args.indexOf("--only");
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? "").split(",").filter(Boolean) : undefined;
  const unknown = (only ?? []).filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0 || (only && only.length === 0)) {
    process.stderr.write(`--only takes some of: ${Object.keys(BENCHMARKS).join(", ")} (got ${unknown.join(", ")})\n`);
    return 2;
  }
  const ctx = createContext(quick);
  const machine = describeMachine();
  const start = performance.now();
  const sections: Section[] = [];
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    if (only && !only.includes(name)) continue;
    try {
      sections.push(await bench(ctx));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`${name}: FAILED: ${message}`);
      sections.push({ id: name, title: name, figures: [], notes: [], error: message, seconds: 0 });
    }
  }
  const mode = [quick ? "--quick" : "", only ? `--only ${only.join(",")}` : ""].filter(Boolean).join(" ") || "full";
  writeResults({
    date: new Date().toISOString(),
    mode,
    runs: ctx.runs,
    machine: { ...machine, loadEnd: currentLoad() },
    seconds: (performance.now() - start) / 1000,
    sections,
  });
  ctx.log(`wrote ${RESULTS_MD} and ${RESULTS_JSON}`);
  return sections.some((section) => section.error) ? 1 : 0;
});
