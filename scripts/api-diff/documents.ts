// One OpenAPI document as api:diff reads it: its operations, its refs followed, and each ref inlined once (kept for
// every later use), so a component used in ten places is copied once per document, not once per comparison.
import { inlineRefs, type JsonObject, type Operation, operationsOf, resolve } from "../lib/openapi-refs.js";
import type { ApiChange, ApiSide } from "./changes.js";

export interface ApiDocument {
  json: JsonObject;
  operations: Map<string, Operation>;
  /** Follows refs to the object they name; undefined when nothing is there. */
  resolve(node: unknown): JsonObject | undefined;
  /** `node` with every local ref replaced by its target, itself inlined; throws on a recursive schema. */
  inline(node: unknown): unknown;
}

export function readDocument(json: JsonObject): ApiDocument {
  const inlined = new Map<string, unknown>();
  return {
    json,
    operations: operationsOf(json),
    resolve: (node) => resolve(json, node),
    inline: (node) => inlineRefs(json, node, [], inlined),
  };
}

/** A comparison: the two documents, and the changes found so far. */
export interface Context {
  base: ApiDocument;
  current: ApiDocument;
  changes: ApiChange[];
}

/** Where a schema is compared: on which side of the exchange, and the place the report names. */
export type SchemaScope = Context & { side: ApiSide; where: string };
