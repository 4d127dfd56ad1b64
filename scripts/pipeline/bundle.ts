// Lint spec/ by redocly.yaml (any problem, even a warning, fails the run), then bundle it into generated/openapi.json,
// the one artifact everything reads: refs between files become `#/components/...`, the JSON stable (2-space).
import { createRequire } from "node:module";
import { generatedFiles, type SpecConfig } from "../lib/project.js";
import type { OpenApiDocument, Step } from "./step.js";

export type { OpenApiDocument } from "./step.js";

export const lint: Step = async ({ config }) => {
  const { formatProblems, getTotals, lint } = createRequire(import.meta.url)(
    "@redocly/openapi-core",
  ) as typeof import("@redocly/openapi-core");
  const problems = await lint({ ref: config.specRoot, config: config.redocly });
  if (problems.length === 0) return {};
  formatProblems(problems, { format: "codeframe", totals: getTotals(problems), color: false });
  throw new Error(`Lint found ${problems.length} problem(s) in spec/ (listed above).`);
};

export async function bundleSpec(config: SpecConfig): Promise<{ document: OpenApiDocument; text: string }> {
  const { bundle } = createRequire(import.meta.url)("@redocly/openapi-core") as typeof import("@redocly/openapi-core");
  const result = await bundle({ ref: config.specRoot, config: config.redocly, dereference: false });
  const errors = result.problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new Error(`Bundling failed: ${errors.map((problem) => problem.message).join("; ")}`);
  const document = result.bundle.parsed as OpenApiDocument;
  return { document, text: `${JSON.stringify(document, null, 2)}\n` };
}

export const bundle: Step = async (run) => {
  const { document, text } = await bundleSpec(run.config);
  run.document = document;
  return { [generatedFiles.bundle]: text };
};
