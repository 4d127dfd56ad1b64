// Every change between two bundled documents, classified for clients, decided from the documents themselves:
// operations, parameters, request bodies, status codes, response headers, media types, auth, servers and exported
// type names here; the schemas inside them field by field (schemas.ts), by the rules in rules.ts.
import { asArray, asObject, type JsonObject, type Operation } from "../lib/openapi-refs.js";
import type { ApiChange, ApiDocument, ApiSide, Context, Outcome, Place, Verdict } from "./changes.js";
import { breaking, changeAt, compatible, mergeChanges, readDocument } from "./changes.js";
import { same } from "./rules.js";
import { compareSchemas, documentationEdits, requiredVerdict } from "./schemas.js";

const record = (context: Context, place: Place, aspect: string, outcome: Outcome) =>
  context.changes.push(changeAt(place, aspect, outcome));

function recordDocumentation(context: Context, place: Place, before: JsonObject, after: JsonObject, keys: string[]) {
  const edited = documentationEdits(before, after, keys);
  if (edited.length > 0) record(context, place, "docs", [`${edited.join(", ")} edited`, compatible("documentation")]);
}

/** What a member's removal or addition means: one verdict for all, or an outcome per member. */
type MemberRule = Verdict | ((name: string) => Outcome);

// Records members (operations, parameters, …) only one version has as `<noun> removed`/`added` (an addition breaks
// nothing unless `added` says so); returns the members both have.
function compareMembers(
  context: Context,
  [before, after]: [Iterable<string>, Iterable<string>],
  place: (name: string) => Place,
  noun: string,
  removed: MemberRule,
  added: MemberRule = compatible("nothingBreaks"),
): string[] {
  const outcome = (rule: MemberRule, name: string, aspect: string): Outcome =>
    typeof rule === "function" ? rule(name) : [`${noun} ${aspect}`, rule];
  const [old, now] = [new Set(before), new Set(after)];
  for (const name of old)
    if (!now.has(name)) record(context, place(name), "removed", outcome(removed, name, "removed"));
  for (const name of now) if (!old.has(name)) record(context, place(name), "added", outcome(added, name, "added"));
  return [...old].filter((name) => now.has(name));
}

export async function findApiChanges(baseJson: JsonObject, currentJson: JsonObject): Promise<ApiChange[]> {
  if (same(baseJson, currentJson)) return [];
  const [base, current] = [readDocument(baseJson), readDocument(currentJson)];
  const context: Context = { base, current, changes: [] };
  const operation = (key: string) => (current.operations.get(key) ?? base.operations.get(key)) as Operation;
  const label = (key: string): Place => ({
    area: "operation",
    subject: operation(key).label,
    where: operation(key).label,
  });
  const operations = [base.operations.keys(), current.operations.keys()] as const;
  for (const key of compareMembers(context, [...operations], label, "operation", breaking("operationRemoved"))) {
    const [before, after] = [base.operations.get(key) as Operation, current.operations.get(key) as Operation];
    recordDocumentation(context, label(key), before.operation, after.operation, OPERATION_DOCS);
    const parameters = (operation: Operation) => new Map(operation.parameters.map((p) => [`${p.in}.${p.name}`, p]));
    const where = `${after.label} parameters`;
    const parameter = (key: string): Place => ({ area: "request", subject: `${after.name}.${key}`, where });
    await compareParts(context, "request", [parameters(before), parameters(after)], parameter);
    await compareRequestBodies(context, before, after);
    await compareResponses(context, before, after);
    const ways = [securityAlternatives(base, before), securityAlternatives(current, after)] as const;
    const way = (way: string): Place => ({
      area: "security",
      subject: `${after.name}.auth[${way}]`,
      where: `${after.label} security`,
    });
    compareMembers(context, [...ways], way, "auth", breaking("authRemoved"));
  }
  compareSecuritySchemes(context);
  for (const section of ["schemas", "responses"]) {
    // Each is a type `ip1-nki/types` exports (`components["schemas"]["NkiUser"]`).
    const names = (document: ApiDocument) => Object.keys(asObject(asObject(document.json.components)[section]));
    const type = (name: string): Place => ({
      area: "types",
      subject: `${section}.${name}`,
      where: `components["${section}"]["${name}"]`,
    });
    compareMembers(context, [names(base), names(current)], type, "exported type", breaking("typeRemoved"));
  }
  const urls = (document: ApiDocument) => asArray(document.json.servers).map((server) => String(asObject(server).url));
  const server = (url: string): Place => ({ area: "servers", subject: url, where: "servers" });
  compareMembers(context, [urls(base), urls(current)], server, "server", breaking("serverRemoved"));
  return mergeChanges(context.changes);
}

const OPERATION_DOCS = ["summary", "description", "deprecated", "tags"];
const PART_DOCS = ["description", "example", "examples", "deprecated"];

/** Named parts with `required` and a schema: the parameters of a request, the headers of a response. */
async function compareParts(
  context: Context,
  side: ApiSide,
  [old, now]: [Map<string, JsonObject>, Map<string, JsonObject>],
  place: (name: string) => Place,
) {
  const required = (part: JsonObject | undefined) => part?.required === true;
  const noun = (part: JsonObject | undefined) =>
    `${required(part) ? "required" : "optional"} ${side === "request" ? "parameter" : "header"}`;
  const removed = (name: string): Verdict => {
    if (side === "request") return breaking("parameterRemoved");
    return required(old.get(name)) ? breaking("headerRemoved") : compatible("handlesMissing");
  };
  const added = (name: string): Verdict =>
    side === "request" && required(now.get(name)) ? breaking("requiredInRequest") : compatible("nothingBreaks");
  const kept = compareMembers(
    context,
    [old.keys(), now.keys()],
    place,
    "",
    (name) => [`${noun(old.get(name))} removed`, removed(name)],
    (name) => [`new ${noun(now.get(name))}`, added(name)],
  );
  for (const name of kept) {
    const [was, is] = [old.get(name) ?? {}, now.get(name) ?? {}];
    recordRequired(context, side, place(name), was, is);
    recordDocumentation(context, place(name), was, is, PART_DOCS);
    await compareSchemas({ ...context, side, where: place(name).where }, was.schema, is.schema, place(name).subject);
  }
}

function recordRequired(context: Context, side: ApiSide, place: Place, was: JsonObject, is: JsonObject) {
  const [before, after] = [was.required === true, is.required === true];
  const change = `${before ? "required" : "optional"} → ${after ? "required" : "optional"}`;
  if (before !== after) record(context, place, "required", [change, requiredVerdict(side, after)]);
}

async function compareRequestBodies(context: Context, before: Operation, after: Operation) {
  const place: Place = { area: "request", subject: `${after.name}.body`, where: `${after.label} request body` };
  const old = context.base.resolve(before.operation.requestBody);
  const now = context.current.resolve(after.operation.requestBody);
  const added = now?.required === true ? breaking("requiredInRequest") : compatible("optionalInRequest");
  const bodies = [old ? ["body"] : [], now ? ["body"] : []] as const;
  if (compareMembers(context, [...bodies], () => place, "request body", breaking("bodyRemoved"), added).length === 0)
    return;
  recordRequired(context, "request", place, old ?? {}, now ?? {});
  await compareContent(context, place, old ?? {}, now ?? {});
}

async function compareResponses(context: Context, before: Operation, after: Operation) {
  const [oldResponses, newResponses] = [asObject(before.operation.responses), asObject(after.operation.responses)];
  const place = (status: string): Place => ({
    area: "response",
    subject: `${after.name}.${status}`,
    where: `${after.label} ${status} response`,
  });
  const statuses = [Object.keys(oldResponses), Object.keys(newResponses)] as const;
  const [removed, added] = [breaking("statusRemoved"), compatible("statusAdded")];
  const kept = compareMembers(context, [...statuses], place, "response", removed, added);
  const headers = (document: ApiDocument, response: JsonObject) =>
    new Map(Object.entries(asObject(response.headers)).map(([name, raw]) => [name, document.resolve(raw) ?? {}]));
  for (const status of kept) {
    const old = context.base.resolve(oldResponses[status]) ?? {};
    const now = context.current.resolve(newResponses[status]) ?? {};
    recordDocumentation(context, place(status), old, now, ["description"]);
    const header = (name: string): Place => ({ ...place(status), subject: `${place(status).subject}.headers.${name}` });
    await compareParts(context, "response", [headers(context.base, old), headers(context.current, now)], header);
    await compareContent(context, place(status), old, now);
  }
}

/** Media types and their schemas, in a request body or a response. */
async function compareContent(context: Context, place: Place, old: JsonObject, now: JsonObject) {
  const side = place.area === "request" ? "request" : "response";
  const [oldContent, newContent] = [asObject(old.content), asObject(now.content)];
  const media = (mediaType: string): Place => ({ ...place, subject: `${place.subject}[${mediaType}]` });
  const removed = breaking(side === "request" ? "mediaTypeRemovedFromRequest" : "mediaTypeRemovedFromResponse");
  const kept = compareMembers(
    context,
    [Object.keys(oldContent), Object.keys(newContent)],
    media,
    "media type",
    removed,
  );
  const examples = (document: ApiDocument, media: JsonObject) => [
    media.example,
    Object.entries(asObject(media.examples)).map(([name, example]) => [name, document.resolve(example)]),
  ];
  for (const mediaType of kept) {
    const [oldMedia, newMedia] = [asObject(oldContent[mediaType]), asObject(newContent[mediaType])];
    if (!same(examples(context.base, oldMedia), examples(context.current, newMedia))) {
      record(context, media(mediaType), "examples", ["examples edited", compatible("documentation")]);
    }
    await compareSchemas({ ...context, side, where: place.where }, oldMedia.schema, newMedia.schema, place.subject);
  }
}

/** The ways a client may authenticate: each alternative is a set of schemes used together; `none` is no auth. */
function securityAlternatives(document: ApiDocument, operation: Operation): string[] {
  const requirements = asArray(operation.operation.security ?? document.json.security);
  return (requirements.length > 0 ? requirements : [{}]).map((requirement) => {
    const schemes = Object.entries(asObject(requirement))
      .map(([scheme, scopes]) => (asArray(scopes).length > 0 ? `${scheme}(${asArray(scopes).join(",")})` : scheme))
      .sort();
    return schemes.length > 0 ? schemes.join("+") : "none";
  });
}

/** A scheme redefined under the same name (basic → digest, another header) changes how clients sign in. */
function compareSecuritySchemes(context: Context) {
  const schemes = (document: ApiDocument) => asObject(asObject(document.json.components).securitySchemes);
  const now = schemes(context.current);
  for (const [name, raw] of Object.entries(schemes(context.base))) {
    if (!(name in now)) continue; // Its removal shows as removed auth alternatives.
    const [old, scheme] = [context.base.resolve(raw) ?? {}, context.current.resolve(now[name]) ?? {}];
    const place: Place = { area: "security", subject: name, where: `components.securitySchemes.${name}` };
    const definition = (value: JsonObject) => JSON.stringify({ ...value, description: undefined });
    if (definition(old) !== definition(scheme)) {
      record(context, place, "definition", [`${definition(old)} → ${definition(scheme)}`, breaking("schemeRedefined")]);
    }
    recordDocumentation(context, place, old, scheme, ["description"]);
  }
}
