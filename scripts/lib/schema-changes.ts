// Field-level changes between two versions of a schema. It walks both trees side by side (properties, items), names
// each change after the component it is in (`NkiUser.Phone`, as the generated types name it), and classifies each
// one alone: the old schema with just that change applied goes to json-schema-diff (see schema-verdict.ts).
import type { ApiSide, ChangeKind, ChangeList } from "./api-change.js";
import { asArray, asObject, isObject, type JsonObject, resolve, schemaRefName } from "./openapi-refs.js";
import {
  clientView,
  compareValueSets,
  constraintVerdict,
  enumVerdict,
  SET_KEYWORDS,
  setVerdict,
  type Verdict,
} from "./schema-verdict.js";

/** Where a schema is compared: which side of the exchange it is on, and the place the report names. */
export interface SchemaScope {
  side: ApiSide;
  /** e.g. `POST /api/nkis/{nki}/users/send request body` */
  where: string;
  base: JsonObject;
  current: JsonObject;
  changes: ChangeList;
}

/** Keywords that document a schema without changing what is valid. */
const DOCUMENTATION = [
  "title",
  "description",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  "externalDocs",
  "$comment",
];
/** Keywords the walk descends into instead of comparing whole. */
const STRUCTURE = new Set(["properties", "required", "items", "type", "$ref"]);

/** The documentation keywords (and `x-` extensions) that differ between two objects. */
export function documentationEdits(before: JsonObject, after: JsonObject, keys: readonly string[]): string[] {
  const extensions = [...Object.keys(before), ...Object.keys(after)].filter((key) => key.startsWith("x-"));
  return [...new Set([...keys, ...extensions])].filter((key) => !same(before[key], after[key]));
}

/** Plain words for the field changes people meet most; json-schema-diff's set wording stays for the rest. */
const PLAIN_WHY: Record<string, string> = {
  "request removed breaking": "clients that send it are refused or ignored, and code that sets it stops compiling",
  "request added breaking": "requests without it are now invalid",
  "request added compatible": "clients may leave it out",
  "request required breaking": "requests without it are now invalid",
  "request required compatible": "clients may still send it",
  "request type breaking": "requests with the old type are now invalid",
  "response removed breaking": "code that reads it finds it missing, and typed code stops compiling",
  "response added compatible": "code that does not read it is unaffected",
  "response required breaking": "code that relies on it being there may find it missing",
  "response required compatible": "code that handles it missing still works",
  "response type breaking": "code that reads it gets another type",
};

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));

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
  const before = resolve(scope.base, beforeRaw) ?? {};
  const after = resolve(scope.current, afterRaw) ?? {};
  const record = (field: string, aspect: string, kind: ChangeKind, change: string, verdict: Verdict) => {
    const why = PLAIN_WHY[`${scope.side} ${aspect} ${verdict.severity}`] ?? verdict.why;
    scope.changes.add({
      id: `${scope.side}:${field}:${aspect}`,
      kind,
      subject: field,
      change,
      where: [scope.where],
      ...verdict,
      why,
    });
  };
  /** The verdict for `before` with one edit applied, as json-schema-diff sees both. */
  const verdictFor = async (edit: (view: JsonObject) => void) => {
    const beforeView = clientView(scope.side, scope.base, before);
    const afterView = structuredClone(beforeView);
    edit(afterView);
    return setVerdict(scope.side, await compareValueSets(beforeView, afterView));
  };
  const currentView = (schema: unknown) => clientView(scope.side, scope.current, schema);

  const edited = documentationEdits(before, after, DOCUMENTATION);
  if (edited.length > 0) {
    record(subject, "docs", "changed", `${edited.join(", ")} edited`, {
      severity: "compatible",
      why: "documentation only",
      classifiedBy: "rule",
    });
  }

  if (!same(before.type, after.type)) {
    const verdict = setVerdict(
      scope.side,
      await compareValueSets(clientView(scope.side, scope.base, before), currentView(after)),
    );
    record(subject, "type", "changed", `type ${show(before.type)} → ${show(after.type)}`, verdict);
    return; // A retyped node is one change, not one per keyword below it.
  }

  const constraints = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const keyword of constraints) {
    if (STRUCTURE.has(keyword) || DOCUMENTATION.includes(keyword) || keyword.startsWith("x-")) continue;
    if (same(before[keyword], after[keyword])) continue;
    if (keyword === "enum" || keyword === "const") {
      const values = (schema: JsonObject) =>
        keyword === "enum" ? (schema.enum as unknown[] | undefined) : "const" in schema ? [schema.const] : undefined;
      record(
        subject,
        keyword,
        "changed",
        enumChange(keyword, values(before), values(after)),
        enumVerdict(scope.side, values(before), values(after)),
      );
      continue;
    }
    const change = `${keyword} ${show(before[keyword])} → ${show(after[keyword])}`;
    const verdict = SET_KEYWORDS.has(keyword)
      ? await verdictFor((view) => {
          if (after[keyword] === undefined) delete view[keyword];
          else view[keyword] = currentView({ [keyword]: after[keyword] })[keyword];
        })
      : constraintVerdict(scope.side, before[keyword], after[keyword]);
    record(subject, keyword, "changed", change, verdict);
  }

  const beforeProperties = asObject(before.properties);
  const afterProperties = asObject(after.properties);
  const isRequired = (schema: JsonObject, property: string) => asArray(schema.required).includes(property);
  for (const property of new Set([...Object.keys(beforeProperties), ...Object.keys(afterProperties)])) {
    const field = `${subject}.${property}`;
    const wasRequired = isRequired(before, property);
    const nowRequired = isRequired(after, property);
    if (!(property in afterProperties)) {
      const verdict = await verdictFor((view) => {
        delete asObject(view.properties)[property];
        if (wasRequired) view.required = asArray(view.required).filter((name) => name !== property);
      });
      record(field, "removed", "removed", `${wasRequired ? "required" : "optional"} field removed`, verdict);
      continue;
    }
    if (!(property in beforeProperties)) {
      const verdict = await verdictFor((view) => {
        view.properties = { ...asObject(view.properties), [property]: currentView(afterProperties[property]) };
        if (nowRequired) view.required = [...asArray(view.required), property];
      });
      record(field, "added", "added", `new ${nowRequired ? "required" : "optional"} field`, verdict);
      continue;
    }
    if (wasRequired !== nowRequired) {
      const verdict = await verdictFor((view) => {
        const others = asArray(view.required).filter((name) => name !== property);
        view.required = nowRequired ? [...others, property] : others;
      });
      record(field, "required", "changed", wasRequired ? "required → optional" : "optional → required", verdict);
    }
    await compareSchemas(scope, beforeProperties[property], afterProperties[property], field, path);
  }

  if (isObject(before.items) && isObject(after.items)) {
    await compareSchemas(scope, before.items, after.items, `${subject}[]`, path);
  } else if (!same(before.items, after.items)) {
    const verdict = await verdictFor((view) => {
      if (after.items === undefined) delete view.items;
      else view.items = currentView(after.items);
    });
    record(subject, "items", "changed", `items ${after.items === undefined ? "removed" : "added"}`, verdict);
  }
}

function enumChange(keyword: string, before: unknown[] | undefined, after: unknown[] | undefined): string {
  if (before === undefined) return `${keyword} added: ${show(after)}`;
  if (after === undefined) return `${keyword} removed (was ${show(before)})`;
  const added = after.filter((value) => !before.some((old) => same(old, value)));
  const removed = before.filter((value) => !after.some((now) => same(now, value)));
  const parts = [
    removed.length > 0 ? `values removed: ${removed.map(show).join(", ")}` : "",
    added.length > 0 ? `values added: ${added.map(show).join(", ")}` : "",
  ].filter(Boolean);
  return `${keyword} ${show(before)} → ${show(after)} (${parts.join("; ") || "reordered"})`;
}
