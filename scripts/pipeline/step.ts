// What a step is: a function from the run so far to the files it makes. A step loads its library inside the
// function (never at the top of its module), so a run with nothing to do loads none.
import type { SpecConfig } from "../lib/project.js";

/** The bundled OpenAPI document, as a plain object. */
export type OpenApiDocument = Record<string, unknown> & { components?: Record<string, Record<string, unknown>> };

/** Generated files by path (relative to the root) and content. */
export type Outputs = Record<string, string>;

/** What the steps share: redocly.yaml, resolved, and the bundle once the bundle step has made it. */
export type PipelineRun = { config: SpecConfig; document?: OpenApiDocument };

export type Step = (run: PipelineRun) => Promise<Outputs>;

/** The bundle, for the steps after it. */
export function bundled(run: PipelineRun): OpenApiDocument {
  if (!run.document) throw new Error("This step needs the bundle: list it after `bundle` in scripts/pipeline/main.ts.");
  return run.document;
}
