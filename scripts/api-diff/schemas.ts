// Field-level changes between two versions of a schema: both trees walked side by side (properties, items), each change
// named as the generated types name it (`NkiUser.Phone`) and ruled on alone (rules.ts).
import { asArray, asObject, isObject, type JsonObject, schemaRefName } from "../lib/openapi-refs.js";
import { type ApiSide, breaking, changeAt, compatible, type SchemaScope, type Verdict } from "./changes.js";
import * as rules from "./rules.js";

/** The documentation keywords (and `x-` extensions) that differ between two objects. */
export function documentationEdits(before: JsonObject, after: JsonObject, keys: readonly string[]): string[] {
  const extensions = [...Object.keys(before), ...Object.keys(after)].filter((key) => key.startsWith("x-"));
  return [...new Set([...keys, ...extensions])].filter((key) => !rules.same(before[key], after[key]));
}

export const show = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));
const NOT_CONSTRAINTS = new Set<string>([...rules.SUBSCHEMA_KEYWORDS.walked, "required", "type", "$ref"]);

export async function compareSchemas(
  scope: SchemaScope,
  beforeRaw: unknown,
  afterRaw: unknown,
  name: string,
  refsOnPath: readonly string[] = [],
): Promise<void> {
  const subject = schemaRefName(afterRaw) ?? schemaRefName(beforeRaw) ?? name;
  const refPair = `${asObject(beforeRaw).$ref}|${asObject(afterRaw).$ref}`;
  if (refPair !== "undefined|undefined" && refsOnPath.includes(refPair)) return;
  const path = [...refsOnPath, refPair];
  const before = scope.base.resolve(beforeRaw) ?? {};
  const after = scope.current.resolve(afterRaw) ?? {};
  const { side } = scope;
  const record = (field: string, aspect: string, change: string, verdict: Verdict) =>
    scope.changes.push(changeAt({ area: side, subject: field, where: scope.where }, aspect, [change, verdict]));

  const edited = documentationEdits(before, after, rules.DOCUMENTATION_KEYWORDS);
  if (edited.length > 0) record(subject, "docs", `${edited.join(", ")} edited`, compatible("documentation"));

  if (!rules.same(before.type, after.type)) {
    const change = `type ${show(before.type)} → ${show(after.type)}`;
    record(subject, "type", change, rules.typeVerdict(side, before.type, after.type));
    return; // A retyped node is one change, not one per keyword below it.
  }

  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (NOT_CONSTRAINTS.has(keyword) || rules.DOCUMENTATION_KEYWORDS.includes(keyword) || keyword.startsWith("x-"))
      continue;
    const [was, now] = [before[keyword], after[keyword]];
    if (rules.same(was, now)) continue;
    if (keyword === "enum" || keyword === "const") {
      const values = (schema: JsonObject) =>
        keyword === "enum" ? (schema.enum as unknown[] | undefined) : "const" in schema ? [schema.const] : undefined;
      const verdict = rules.enumVerdict(side, values(before), values(after));
      record(subject, keyword, enumChange(keyword, values(before), values(after)), verdict);
      continue;
    }
    const verdict = rules.isBound(keyword)
      ? rules.boundVerdict(side, keyword, was, now)
      : rules.isComposed(keyword)
        ? await rules.composedVerdict(side, scope.base.inline(before), scope.current.inline(after))
        : rules.constraintVerdict(side, was, now);
    record(subject, keyword, `${keyword} ${show(was)} → ${show(now)}`, verdict);
  }

  const [oldProperties, newProperties] = [asObject(before.properties), asObject(after.properties)];
  const isRequired = (schema: JsonObject, property: string) => asArray(schema.required).includes(property);
  for (const property of new Set([...Object.keys(oldProperties), ...Object.keys(newProperties)])) {
    const field = `${subject}.${property}`;
    const [wasRequired, nowRequired] = [isRequired(before, property), isRequired(after, property)];
    const requiredness = (required: boolean) => (required ? "required" : "optional");
    if (!(property in newProperties)) {
      const verdict = breaking(side === "request" ? "fieldRemovedFromRequest" : "fieldRemovedFromResponse");
      record(field, "removed", `${requiredness(wasRequired)} field removed`, verdict);
    } else if (!(property in oldProperties)) {
      const verdict = addedFieldVerdict(side, after, nowRequired);
      record(field, "added", `new ${requiredness(nowRequired)} field`, verdict);
    } else {
      if (wasRequired !== nowRequired) {
        const change = `${requiredness(wasRequired)} → ${requiredness(nowRequired)}`;
        record(field, "required", change, requiredVerdict(side, nowRequired));
      }
      await compareSchemas(scope, oldProperties[property], newProperties[property], field, path);
    }
  }

  if (isObject(before.items) && isObject(after.items)) {
    await compareSchemas(scope, before.items, after.items, `${subject}[]`, path);
  } else if (!rules.same(before.items, after.items)) {
    const verdict = rules.bySets(side, after.items !== undefined, before.items !== undefined);
    record(subject, "items", `items ${after.items === undefined ? "removed" : "added"}`, verdict);
  }
}

// A field added: an optional one widens a request (compared closed); a new one narrows a response (read open).
function addedFieldVerdict(side: ApiSide, after: JsonObject, required: boolean): Verdict {
  if (side === "request") {
    if (required) return breaking("requiredInRequest");
    return after.additionalProperties === true ? breaking("requestNarrowed") : compatible("optionalInRequest");
  }
  return after.additionalProperties === false ? breaking("responseWidened") : compatible("unreadInResponse");
}

export function requiredVerdict(side: ApiSide, required: boolean): Verdict {
  if (side === "request") return required ? breaking("requiredInRequest") : compatible("stillSendable");
  return required ? compatible("handlesMissing") : breaking("mayBeMissing");
}

function enumChange(keyword: string, before: unknown[] | undefined, after: unknown[] | undefined): string {
  const change = `${keyword} ${show(before)} → ${show(after)}`;
  if (before === undefined || after === undefined) return change;
  const missing = (from: unknown[], to: unknown[]) => from.filter((value) => !to.some((v) => rules.same(value, v)));
  const [removed, added] = [missing(before, after), missing(after, before)];
  const parts = [removed.length > 0 ? `values removed: ${removed.map(show).join(", ")}` : ""];
  if (added.length > 0) parts.push(`values added: ${added.map(show).join(", ")}`);
  return `${change} (${parts.filter(Boolean).join("; ") || "reordered"})`;
}
