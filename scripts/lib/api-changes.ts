// Every change between two bundled documents, classified for clients. Who decides what:
//   openapi-diff        added/removed operations, status codes, response headers; a verdict on each body as a whole
//   json-schema-diff    each field-level body and parameter schema change (the engine openapi-diff uses)
//   rules (by hand)     what both miss: enum/const, format/pattern, parameters, security, media types, servers,
//                       exported type names, documentation edits
import { type ApiChange, ChangeList } from "./api-change.js";
import { addOpenApiDiffChanges, addUnexplainedFindings } from "./openapi-diff-changes.js";
import type { JsonObject } from "./openapi-refs.js";
import { findSpecChanges } from "./spec-changes.js";

export async function findApiChanges(base: JsonObject, current: JsonObject): Promise<ApiChange[]> {
  const changes = new ChangeList();
  if (JSON.stringify(base) === JSON.stringify(current)) return [];
  const findings = await addOpenApiDiffChanges(base, current, changes);
  await findSpecChanges(base, current, changes);
  addUnexplainedFindings(findings, changes);
  return changes.sorted();
}
