// Step 2: bundle spec/ into generated/openapi.json, the one artifact that Prism, the docs, the validators and
// consumers read. Refs between files become `#/components/...` refs; the JSON is stable (2-space, newline-ended).
import { loadRedocly } from "./lib/libraries.js";
import { generatedFiles, loadSpecConfig, runIfMain, type SpecConfig } from "./lib/project.js";
import { writeIfChanged } from "./lib/write.js";

/** The bundled OpenAPI document, as a plain object. */
export type OpenApiDocument = Record<string, unknown> & { components?: Record<string, Record<string, unknown>> };

export async function bundleSpec(config: SpecConfig): Promise<{ document: OpenApiDocument; text: string }> {
  const result = await loadRedocly().bundle({ ref: config.specRoot, config: config.redocly, dereference: false });
  const errors = result.problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) {
    throw new Error(`Bundling failed: ${errors.map((problem) => problem.message).join("; ")}`);
  }
  const document = result.bundle.parsed as OpenApiDocument;
  return { document, text: `${JSON.stringify(document, null, 2)}\n` };
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/bundle.ts
Bundles spec/ into ${generatedFiles.bundle}.`,
  async () => {
    const { text } = await bundleSpec(await loadSpecConfig());
    writeIfChanged(generatedFiles.bundle, text);
    return 0;
  },
);
