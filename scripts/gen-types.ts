// Step 3: generate TypeScript types from the bundle with openapi-typescript's programmatic API, using the
// options in redocly.yaml's `x-openapi-ts` (so the CLI and the pipeline read the same settings).
import { createRequire } from "node:module";
import type { OpenAPI3 } from "openapi-typescript";
import type { OpenApiDocument } from "./bundle.js";
import { generatedFiles, loadSpecConfig, runIfMain, type SpecConfig } from "./lib/project.js";
import { writeIfChanged } from "./lib/write.js";

// openapi-typescript's CommonJS build, which loads TypeScript 5.9 with require(): on Node 20 that takes 0.3 s, where
// its ESM build's `import "typescript"` takes 0.6 s (Node runs its CommonJS export lexer over TypeScript's 9 MB).
const {
  default: openapiTS,
  astToString,
  COMMENT_HEADER,
} = createRequire(import.meta.url)("openapi-typescript") as typeof import("openapi-typescript");

export async function generateTypes(
  config: Pick<SpecConfig, "typesOptions">,
  document: OpenApiDocument,
): Promise<string> {
  // openapi-typescript mutates its input while it transforms it; give it its own copy.
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, {
    ...config.typesOptions,
    silent: true,
  });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/gen-types.ts
Bundles spec/ and writes its types to ${generatedFiles.types}.`,
  async () => {
    const config = await loadSpecConfig();
    // Imported here so the types worker, which imports this module for generateTypes, never loads the bundler.
    const { bundleSpec } = await import("./bundle.js");
    const { document } = await bundleSpec(config);
    writeIfChanged(generatedFiles.types, await generateTypes(config, document));
    return 0;
  },
);
