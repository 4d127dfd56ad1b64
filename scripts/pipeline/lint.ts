// Lint spec/ with the rules in redocly.yaml. Any problem, warning or error, fails the run: the spec is kept at zero
// problems.
import { createRequire } from "node:module";
import type { Step } from "./step.js";

export const lint: Step = async ({ config }) => {
  const { formatProblems, getTotals, lint } = createRequire(import.meta.url)(
    "@redocly/openapi-core",
  ) as typeof import("@redocly/openapi-core");
  const problems = await lint({ ref: config.specRoot, config: config.redocly });
  if (problems.length === 0) return {};
  formatProblems(problems, { format: "codeframe", totals: getTotals(problems), color: false });
  throw new Error(`Lint found ${problems.length} problem(s) in spec/ (listed above).`);
};
