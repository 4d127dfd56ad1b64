// The one vocabulary of api:diff: a change, its verdict and reasons, their merging, and the documents compared.
import { inlineRefs, type JsonObject, type Operation, operationsOf, resolve } from "../lib/openapi-refs.js";

/** Which way data flows through what changed: a request the client builds, or a response the client reads. */
export type ApiSide = "request" | "response";

/** The verdict on one change, and why. */
export interface Verdict {
  /** For clients: whether code written against the old spec can fail against the new one. */
  severity: "breaking" | "compatible";
  why: string;
  /** Who decided: a rule in scripts/api-diff, or json-schema-diff (for composed schemas). */
  classifiedBy: "rule" | "json-schema-diff";
}

export interface ApiChange extends Verdict {
  /** Stable id, `area:subject:aspect` (e.g. `request:NkiUser.Phone:maxLength`); what an acknowledgement names. */
  id: string;
  /** How the change reads in the changelog (breaking changes go under "Breaking" whatever their kind). */
  kind: "added" | "removed" | "changed";
  /** What changed: a schema field (`NkiUser.Phone`), an operation (`POST /api/nkis/{nki}/users/send`), a scheme. */
  subject: string;
  /** The change itself, e.g. `maxLength 16 → 12`. */
  change: string;
  /** Every place it shows, e.g. `POST /api/nkis/{nki}/users/send request body`. */
  where: string[];
}

/** Where a change is: its id is `area:subject:aspect`, and `where` the place the report names. */
export interface Place {
  area: ApiSide | "security" | "types" | "servers" | "operation";
  subject: string;
  where: string;
}

/** What changed, in words, and the verdict on it. */
export type Outcome = [change: string, verdict: Verdict];

/** The change at `place`: an aspect `added` or `removed` is that kind of change, any other aspect a `changed`. */
export function changeAt({ area, subject, where }: Place, aspect: string, [change, verdict]: Outcome): ApiChange {
  const kind = aspect === "added" || aspect === "removed" ? aspect : "changed";
  return { id: `${area}:${subject}:${aspect}`, kind, subject, change, where: [where], ...verdict };
}

/** Every reason a verdict gives, once. */
export const REASONS = {
  documentation: "documentation only",
  unchanged: "what is valid is unchanged",
  requestNarrowed: "the API now rejects requests that were valid",
  requestWidened: "the API accepts more than before",
  responseWidened: "responses may now hold values that code written for the old shape does not expect",
  responseNarrowed: "responses hold a subset of what they held",
  fieldRemovedFromRequest: "clients that send it are refused or ignored, and code that sets it stops compiling",
  fieldRemovedFromResponse: "code that reads it finds it missing, and typed code stops compiling",
  requiredInRequest: "requests without it are now invalid",
  optionalInRequest: "clients may leave it out",
  stillSendable: "clients may still send it",
  unreadInResponse: "code that does not read it is unaffected",
  mayBeMissing: "code that relies on it being there may find it missing",
  handlesMissing: "code that handles it missing still works",
  literalNarrowed: "the generated type narrows to a literal union, so code that uses any other value stops compiling",
  literalsAdded: "responses may hold values that clients do not handle, and exhaustive code stops compiling",
  unknownOnRequest: "api-diff cannot tell whether this rejects requests that were valid, so it counts as breaking",
  unknownOnResponse: "api-diff cannot tell whether this lets responses hold values clients do not expect, so it breaks",
  operationRemoved: "calls to it fail",
  statusRemoved: "code written to handle it no longer matches the spec",
  statusAdded: "clients already treat an undocumented status as an error",
  parameterRemoved: "clients that pass it are refused or ignored, and typed calls that pass it stop compiling",
  headerRemoved: "clients that read it find nothing",
  bodyRemoved: "clients send a body the API no longer takes",
  mediaTypeRemovedFromRequest: "clients that send it are refused",
  mediaTypeRemovedFromResponse: "clients that read it get something else",
  authRemoved: "clients that authenticate this way are refused",
  schemeRedefined: "clients sign in the old way",
  typeRemoved: "code that imports the type stops compiling",
  serverRemoved: "clients that call this base URL may fail",
  nothingBreaks: "nothing that worked stops working",
} as const;

export type Reason = keyof typeof REASONS;

const verdict = (severity: Verdict["severity"], reason: Reason, classifiedBy: Verdict["classifiedBy"]): Verdict => ({
  severity,
  why: REASONS[reason],
  classifiedBy,
});
export const breaking = (reason: Reason, by: Verdict["classifiedBy"] = "rule") => verdict("breaking", reason, by);
export const compatible = (reason: Reason, by: Verdict["classifiedBy"] = "rule") => verdict("compatible", reason, by);

// One change per id, listing every place it was reached from and keeping the stricter verdict; breaking first, then
// by id, so reports and changelogs are stable.
export function mergeChanges(changes: ApiChange[]): ApiChange[] {
  const byId = new Map<string, ApiChange>();
  for (const change of changes) {
    const known = byId.get(change.id);
    if (!known) byId.set(change.id, { ...change, where: [...change.where] });
    else if (change.severity === "breaking" && known.severity !== "breaking") {
      byId.set(change.id, { ...change, where: [...new Set([...known.where, ...change.where])] });
    } else known.where.push(...change.where.filter((place) => !known.where.includes(place)));
  }
  const rank = (change: ApiChange) => Number(change.severity !== "breaking");
  return [...byId.values()].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

/** One OpenAPI document as api:diff reads it: each ref is inlined once per document, not once per comparison. */
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
