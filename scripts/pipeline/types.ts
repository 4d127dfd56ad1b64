// TypeScript types from the bundle, with openapi-typescript's programmatic API and the options in redocly.yaml's
// `x-openapi-ts` (so its CLI and the pipeline read the same settings).
import { createRequire } from "node:module";
import type { OpenAPI3 } from "openapi-typescript";
import { generatedFiles, type SpecConfig } from "../lib/project.js";
import { bundled, type OpenApiDocument, type Step } from "./step.js";

export async function generateTypes(config: Pick<SpecConfig, "typesOptions">, document: OpenApiDocument) {
  // Its CommonJS build: it loads TypeScript 5.9 with require(), faster than an ESM import of TypeScript's 9 MB.
  const {
    default: openapiTS,
    astToString,
    COMMENT_HEADER,
  } = createRequire(import.meta.url)("openapi-typescript") as typeof import("openapi-typescript");
  // openapi-typescript mutates its input while it transforms it; give it its own copy.
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, {
    ...config.typesOptions,
    silent: true,
  });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

export const types: Step = async (run) => ({ [generatedFiles.types]: await generateTypes(run.config, bundled(run)) });
