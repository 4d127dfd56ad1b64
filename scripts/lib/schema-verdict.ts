// Whether a schema change breaks clients. json-schema-diff (openapi-diff's engine) compares the sets of values two
// schemas accept; this file decides which schemas to hand it and what a narrower or wider set means on each side.
// Keywords json-schema-diff does not support (its KEYWORDS.md: enum, const, format, pattern, multipleOf, …) get the
// hand-written rules at the end, and say so in the report.
import jsonSchemaDiff from "json-schema-diff";
import type { ApiSide, ChangeSeverity, ChangeSource } from "./api-change.js";
import { inlineRefs, isObject, type JsonObject } from "./openapi-refs.js";

/** Keywords json-schema-diff compares (json-schema-diff 1.0, KEYWORDS.md); a change to any other is ruled by hand. */
export const SET_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "maxLength",
  "minLength",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "maxItems",
  "minItems",
  "maxProperties",
  "minProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
]);

export interface Verdict {
  severity: ChangeSeverity;
  why: string;
  classifiedBy: ChangeSource;
}

/**
 * The schema as a client meets it, ref-free for json-schema-diff. A client sends only the fields the spec names, so
 * a request schema is compared closed (`additionalProperties: false` wherever it is unset): a new optional field
 * widens it, a removed one narrows it. A client reads only the fields it knows, so a response schema stays open as
 * written: a new field narrows it (harmless), a removed field leaves the value unconstrained (wider: breaking).
 */
export function clientView(side: ApiSide, document: JsonObject, schema: unknown): JsonObject {
  const inlined = inlineRefs(document, schema);
  const view = isObject(inlined) ? inlined : {};
  return side === "request" ? closeObjects(view) : view;
}

function closeObjects(schema: JsonObject): JsonObject {
  const closed: JsonObject = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (key === "properties" && isObject(value)) {
        return [key, Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, closeSub(sub)]))];
      }
      if (["items", "additionalProperties", "not"].includes(key)) return [key, closeSub(value)];
      if (["allOf", "anyOf", "oneOf"].includes(key) && Array.isArray(value)) return [key, value.map(closeSub)];
      return [key, value];
    }),
  );
  const isObjectSchema = closed.type === "object" || isObject(closed.properties);
  if (isObjectSchema && closed.additionalProperties === undefined) closed.additionalProperties = false;
  return closed;
}

const closeSub = (value: unknown) => (isObject(value) ? closeObjects(value) : value);

/** Whether `after` rejects values `before` accepted (narrowed) and accepts values it rejected (widened). */
export async function compareValueSets(before: JsonObject, after: JsonObject) {
  const result = await jsonSchemaDiff.diffSchemas({ sourceSchema: before, destinationSchema: after });
  return { narrowed: result.removalsFound, widened: result.additionsFound };
}

const verdictBy =
  (classifiedBy: ChangeSource) =>
  (severity: ChangeSeverity, why: string): Verdict => ({ severity, why, classifiedBy });
const bySets = verdictBy("json-schema-diff");
const byRule = verdictBy("rule");

/** The rule openapi-diff applies to bodies: a narrower request or a wider response breaks clients. */
export function setVerdict(side: ApiSide, { narrowed, widened }: { narrowed: boolean; widened: boolean }): Verdict {
  if (side === "request") {
    if (narrowed) return bySets("breaking", "the API now rejects requests that were valid");
    return bySets("compatible", widened ? "the API accepts more than before" : "what is valid is unchanged");
  }
  if (widened)
    return bySets("breaking", "responses may now hold values that code written for the old shape does not expect");
  return bySets("compatible", narrowed ? "responses hold a subset of what they held" : "what is valid is unchanged");
}

/**
 * Hand rule for `enum` and `const` (json-schema-diff ignores both). The generated types make each value a literal,
 * so on the response side any removed value breaks too: code that names it (a comparison, a switch case, a lookup
 * table) stops compiling. An added response value breaks exhaustive switches and surprises old clients.
 */
export function enumVerdict(side: ApiSide, before: unknown[] | undefined, after: unknown[] | undefined): Verdict {
  // `undefined` means no enum: any value of the type is allowed.
  const widened = before !== undefined && (after === undefined || after.some((value) => !contains(before, value)));
  const narrowed = after !== undefined && (before === undefined || before.some((value) => !contains(after, value)));
  const literalRemoved = before !== undefined && narrowed;
  if (side === "request") {
    if (narrowed) return byRule("breaking", "the API now rejects values clients may send");
    return byRule("compatible", "the API accepts more values than before");
  }
  if (widened) return byRule("breaking", "responses may hold values that clients do not handle");
  if (literalRemoved)
    return byRule("breaking", "the generated type drops a literal, so code that names it stops compiling");
  return byRule("compatible", "responses hold a subset of what they held");
}

const contains = (values: unknown[], value: unknown) =>
  values.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value));

/**
 * Hand rule for a keyword whose sets json-schema-diff cannot compare (format, pattern, multipleOf, uniqueItems, …):
 * adding it narrows, removing it widens, and changing it does both, so a change is breaking unless it only widens a
 * request or only narrows a response.
 */
export function constraintVerdict(side: ApiSide, before: unknown, after: unknown): Verdict {
  const [narrowed, widened] = [after !== undefined, before !== undefined];
  if (side === "request" && !narrowed) return byRule("compatible", "a constraint on requests was lifted");
  if (side === "response" && !widened) return byRule("compatible", "responses gained a constraint");
  const risk =
    side === "request" ? "rejects requests that were valid" : "lets responses hold values clients do not expect";
  return byRule("breaking", `api-diff cannot tell whether this ${risk}, so it counts as breaking`);
}
