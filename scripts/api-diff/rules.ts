// The rules that turn a schema change into a verdict: a narrower request or a wider response breaks clients. Plain
// keywords (type, bounds, enum, required, properties, items) are ruled here; composed schemas (allOf, anyOf, oneOf,
// not, additionalProperties) go to json-schema-diff, which compares the sets they accept.
import { isObject, type JsonObject } from "../lib/openapi-refs.js";
import { type ApiSide, breaking, compatible, type Verdict } from "./changes.js";

/** Where subschemas live: the walk (schemas.ts) descends into the first; json-schema-diff judges the second. */
export const SUBSCHEMA_KEYWORDS = {
  walked: ["properties", "items"],
  composed: ["additionalProperties", "allOf", "anyOf", "oneOf", "not", "prefixItems", "patternProperties", "if"],
};

/** Keywords that document a schema without changing what is valid (and `x-` extensions). */
export const DOCUMENTATION_KEYWORDS =
  "title description examples example deprecated readOnly writeOnly externalDocs $comment".split(" ");

const UPPER_BOUNDS = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"];
const LOWER_BOUNDS = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"];
export const isBound = (keyword: string) => UPPER_BOUNDS.includes(keyword) || LOWER_BOUNDS.includes(keyword);
export const isComposed = (keyword: string) => SUBSCHEMA_KEYWORDS.composed.includes(keyword);
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The verdict on a change to the set of valid values, by side: a narrower request or a wider response breaks. */
export function bySets(side: ApiSide, narrowed: boolean, widened: boolean, by: Verdict["classifiedBy"] = "rule") {
  if (side === "request") {
    return narrowed ? breaking("requestNarrowed", by) : compatible(widened ? "requestWidened" : "unchanged", by);
  }
  return widened ? breaking("responseWidened", by) : compatible(narrowed ? "responseNarrowed" : "unchanged", by);
}

// "number" is integers and fractions, so integer → number widens and number → integer narrows.
const JSON_TYPES = ["null", "boolean", "object", "array", "string", "integer", "fraction"];
function allows(type: unknown, jsonType: string): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  if (jsonType === "fraction") return types.includes("number");
  return types.includes(jsonType) || (jsonType === "integer" && types.includes("number"));
}

/** `type` changed: a string, a list such as `["string", "null"]`, or absent for any type. */
export function typeVerdict(side: ApiSide, before: unknown, after: unknown): Verdict {
  const lost = (from: unknown, to: unknown) => JSON_TYPES.some((type) => allows(from, type) && !allows(to, type));
  return bySets(side, lost(before, after), lost(after, before));
}

/** A bound (maxLength, minimum, …) added, removed or moved; absent means unbounded. */
export function boundVerdict(side: ApiSide, keyword: string, before: unknown, after: unknown): Verdict {
  if (![before, after].every((bound) => bound === undefined || typeof bound === "number")) {
    return constraintVerdict(side, before, after);
  }
  const tighter = (a: number, b: number) => (UPPER_BOUNDS.includes(keyword) ? a < b : a > b);
  const narrowed = after !== undefined && (before === undefined || tighter(after as number, before as number));
  const widened = before !== undefined && (after === undefined || tighter(before as number, after as number));
  return bySets(side, narrowed, widened);
}

/**
 * `enum` or `const`: each value is a literal type, so a union that narrows breaks code on both sides (it stops
 * compiling); values added break a response's exhaustive code, and widen a request.
 */
export function enumVerdict(side: ApiSide, before: unknown[] | undefined, after: unknown[] | undefined): Verdict {
  const has = (values: unknown[], value: unknown) => values.some((candidate) => same(candidate, value));
  const narrowed = after !== undefined && (before === undefined || before.some((value) => !has(after, value)));
  const widened = before !== undefined && (after === undefined || after.some((value) => !has(before, value)));
  if (narrowed) return breaking("literalNarrowed");
  return widened && side === "response" ? breaking("literalsAdded") : bySets(side, false, widened);
}

// A keyword no rule compares (format, pattern, …): added it narrows, removed it widens, changed it does both; so it
// breaks unless it only widens a request or only narrows a response.
export function constraintVerdict(side: ApiSide, before: unknown, after: unknown): Verdict {
  if (side === "request" && after === undefined) return compatible("requestWidened");
  if (side === "response" && before === undefined) return compatible("responseNarrowed");
  return breaking(side === "request" ? "unknownOnRequest" : "unknownOnResponse");
}

/** A composed schema changed: json-schema-diff compares what the two ref-free schemas accept, as clients meet them. */
export async function composedVerdict(side: ApiSide, before: unknown, after: unknown): Promise<Verdict> {
  // Loaded only when a composed schema changed: it costs more to load than the rest of api:diff takes to run.
  const { default: jsonSchemaDiff } = await import("json-schema-diff");
  const view = (schema: unknown) => (side === "request" ? closed(schema) : schema) as JsonObject;
  try {
    const sets = await jsonSchemaDiff.diffSchemas({ sourceSchema: view(before), destinationSchema: view(after) });
    return bySets(side, sets.removalsFound, sets.additionsFound, "json-schema-diff");
  } catch {
    return constraintVerdict(side, before, after); // a keyword json-schema-diff does not support
  }
}

// A request schema as a client meets it: it sends only the fields the spec names, so its objects are closed
// (`additionalProperties: false` where unset). A response stays open: a client reads only the fields it knows.
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!isObject(schema)) return schema;
  const subschemas = [...SUBSCHEMA_KEYWORDS.walked, ...SUBSCHEMA_KEYWORDS.composed];
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (!subschemas.includes(key)) return [key, value];
      const named = key === "properties" || key === "patternProperties";
      return [
        key,
        named ? Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, closed(v)])) : closed(value),
      ];
    }),
  );
  if ((copy.type === "object" || isObject(copy.properties)) && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}
