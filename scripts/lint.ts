// Step 1: lint the spec with the rules in redocly.yaml. Any problem, warning or error, fails the step:
// the spec is kept at zero problems.
import { loadRedocly } from "./lib/libraries.js";
import { loadSpecConfig, runIfMain, type SpecConfig } from "./lib/project.js";

export async function lintSpec(config: SpecConfig): Promise<void> {
  const { formatProblems, getTotals, lint } = loadRedocly();
  const problems = await lint({ ref: config.specRoot, config: config.redocly });
  if (problems.length === 0) return;
  formatProblems(problems, { format: "codeframe", totals: getTotals(problems), color: false });
  throw new Error(`Lint found ${problems.length} problem(s) in spec/ (listed above).`);
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/lint.ts
Lints spec/ with the rules in redocly.yaml. Exits 1 on any problem.`,
  async () => {
    await lintSpec(await loadSpecConfig());
    process.stdout.write("lint: 0 problems\n");
    return 0;
  },
);
