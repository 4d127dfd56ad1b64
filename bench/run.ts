// `npm run bench`: every benchmark in one run on one machine, then bench/RESULTS.md and bench/results.json.
import { runIfMain } from "../scripts/lib/project.js";
import { bundleSizeBench } from "./bundle-size.js";
import { clientOverheadBench } from "./client-overhead.js";
import { ledgerBench } from "./ledger.js";
import { type BenchContext, createContext, currentLoad, describeMachine } from "./lib/context.js";
import type { Section } from "./lib/figures.js";
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
  ledger: ledgerBench,
  mock: mockBench,
};

const USAGE = `
Usage: npm run bench [-- --quick] [-- --only NAME[,NAME…]]

Measures, in one run on this machine, each section of ${RESULTS_MD} (each figure the median of 5 runs, with min,
max and a ratio to its anchor; each bench/ file's first comment says what it measures). NAME is one of:
${Object.keys(BENCHMARKS).join(", ")}. Then writes ${RESULTS_MD} and ${RESULTS_JSON}; progress goes to stderr.

Options:
  --quick        2 runs per figure (npm test once), to check the harness; the report marks the figures
  --only NAMES   run only these benchmarks (comma-separated); the other sections stay from the last run
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
  const machine = await describeMachine();
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
  const [date, seconds] = [new Date().toISOString(), (performance.now() - start) / 1000];
  writeResults(
    { date, mode, runs: ctx.runs, machine: { ...machine, loadEnd: currentLoad() }, seconds, sections },
    only,
  );
  ctx.log(`wrote ${RESULTS_MD} and ${RESULTS_JSON}`);
  return sections.some((section) => section.error) ? 1 : 0;
});
