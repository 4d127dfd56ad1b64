// Changes inside operations both versions have, and in the parts of the document clients depend on. openapi-diff
// ignores parameters, security, servers, `requestBody.required`, media types and component names (its OPENAPI3.md
// says so), so those rules are written here; body and parameter schemas go through json-schema-diff
// (schema-changes.ts). Added and removed operations and status codes are openapi-diff's (openapi-diff-changes.ts).
import type { ApiChange, ChangeList } from "./api-change.js";
import { asArray, asObject, type JsonObject, type Operation, operationsOf, resolve } from "./openapi-refs.js";
import { compareSchemas, documentationEdits, same } from "./schema-changes.js";

type Verdict = Pick<ApiChange, "severity" | "why">;
const breaking = (why: string): Verdict => ({ severity: "breaking", why });
const compatible = (why: string): Verdict => ({ severity: "compatible", why });
const DOCUMENTATION_ONLY = compatible("documentation only");

interface Context {
  base: JsonObject;
  current: JsonObject;
  changes: ChangeList;
}

/** Where a change is: its id is `area:subject:aspect`. */
interface Place {
  area: "request" | "response" | "security" | "types" | "servers" | "operation";
  subject: string;
  where: string;
}

function record(context: Context, place: Place, aspect: string, change: string, verdict: Verdict) {
  const { area, subject, where } = place;
  context.changes.add({
    id: `${area}:${subject}:${aspect}`,
    kind: aspect === "added" || aspect === "removed" ? aspect : "changed",
    subject,
    change,
    where: [where],
    classifiedBy: "rule",
    ...verdict,
  });
}

function recordDocumentation(context: Context, place: Place, before: JsonObject, after: JsonObject, keys: string[]) {
  const edited = documentationEdits(before, after, keys);
  if (edited.length > 0) record(context, place, "docs", `${edited.join(", ")} edited`, DOCUMENTATION_ONLY);
}

/** A request part (parameter, body) that became required or optional. */
function recordRequired(context: Context, place: Place, was: unknown, now: unknown) {
  if ((was === true) === (now === true)) return;
  const verdict =
    now === true ? breaking("requests without it are now invalid") : compatible("clients may still send it");
  record(context, place, "required", now === true ? "optional → required" : "required → optional", verdict);
}

/** Members (parameters, media types, auth alternatives, …) that only one version has. */
function recordMembership(
  context: Context,
  names: { before: Iterable<string>; after: Iterable<string> },
  place: (name: string) => Place,
  removed: (name: string) => [change: string, verdict: Verdict],
  added: (name: string) => [change: string, verdict: Verdict],
): string[] {
  const [before, after] = [new Set(names.before), new Set(names.after)];
  for (const name of before) if (!after.has(name)) record(context, place(name), "removed", ...removed(name));
  for (const name of after) if (!before.has(name)) record(context, place(name), "added", ...added(name));
  return [...before].filter((name) => after.has(name));
}

export async function findSpecChanges(base: JsonObject, current: JsonObject, changes: ChangeList): Promise<void> {
  const context = { base, current, changes };
  const currentOperations = operationsOf(current);
  for (const [key, before] of operationsOf(base)) {
    const after = currentOperations.get(key);
    if (!after) continue; // A removed operation is openapi-diff's (path.remove, method.remove).
    const place: Place = { area: "operation", subject: after.label, where: after.label };
    recordDocumentation(context, place, before.operation, after.operation, [
      "summary",
      "description",
      "deprecated",
      "tags",
    ]);
    await compareParameters(context, before, after);
    await compareRequestBodies(context, before, after);
    await compareResponses(context, before, after);
    compareSecurity(context, before, after);
  }
  compareSecuritySchemes(context);
  compareExportedTypes(context);
  compareServers(context);
}

async function compareParameters(context: Context, before: Operation, after: Operation) {
  const where = `${after.label} parameters`;
  const byKey = (operation: Operation) =>
    new Map(operation.parameters.map((parameter) => [`${parameter.in}.${parameter.name}`, parameter]));
  const [old, now] = [byKey(before), byKey(after)];
  const place = (key: string): Place => ({ area: "request", subject: `${after.name}.${key}`, where });
  const kept = recordMembership(
    context,
    { before: old.keys(), after: now.keys() },
    place,
    () => [
      "parameter removed",
      breaking("clients that pass it are refused or ignored, and typed calls that pass it stop compiling"),
    ],
    (key) =>
      now.get(key)?.required === true
        ? ["new required parameter", breaking("requests without it are now invalid")]
        : ["new optional parameter", compatible("clients may leave it out")],
  );
  for (const key of kept) {
    const [was, is] = [old.get(key) ?? {}, now.get(key) ?? {}];
    recordRequired(context, place(key), was.required, is.required);
    recordDocumentation(context, place(key), was, is, ["description", "example", "examples", "deprecated"]);
    await compareSchemas({ ...context, side: "request", where }, was.schema, is.schema, place(key).subject);
  }
}

async function compareRequestBodies(context: Context, before: Operation, after: Operation) {
  const place: Place = { area: "request", subject: `${after.name}.body`, where: `${after.label} request body` };
  const old = resolve(context.base, before.operation.requestBody);
  const now = resolve(context.current, after.operation.requestBody);
  if (old && now) {
    recordRequired(context, place, old.required, now.required);
    await compareContent(context, place, old, now);
  } else if (now) {
    const verdict =
      now.required === true
        ? breaking("requests without a body are now invalid")
        : compatible("clients may leave it out");
    record(context, place, "added", "request body added", verdict);
  } else if (old) {
    record(context, place, "removed", "request body removed", breaking("clients send a body the API no longer takes"));
  }
}

async function compareResponses(context: Context, before: Operation, after: Operation) {
  const responses = asObject(after.operation.responses);
  for (const [status, raw] of Object.entries(asObject(before.operation.responses))) {
    if (!(status in responses)) continue; // A removed status code is openapi-diff's (response.status-code.remove).
    const old = resolve(context.base, raw) ?? {};
    const now = resolve(context.current, responses[status]) ?? {};
    const place: Place = {
      area: "response",
      subject: `${after.name}.${status}`,
      where: `${after.label} ${status} response`,
    };
    recordDocumentation(context, place, old, now, ["description"]);
    await compareContent(context, place, old, now);
  }
}

/** Media types and their schemas, in a request body or a response. */
async function compareContent(context: Context, place: Place, old: JsonObject, now: JsonObject) {
  const side = place.area === "request" ? "request" : "response";
  const [oldContent, newContent] = [asObject(old.content), asObject(now.content)];
  const media = (mediaType: string): Place => ({ ...place, subject: `${place.subject}[${mediaType}]` });
  const kept = recordMembership(
    context,
    { before: Object.keys(oldContent), after: Object.keys(newContent) },
    media,
    () => [
      "media type removed",
      breaking(side === "request" ? "clients that send it are refused" : "clients that read it get something else"),
    ],
    () => ["media type added", compatible("clients go on sending and reading the media types they know")],
  );
  for (const mediaType of kept) {
    const [oldMedia, newMedia] = [asObject(oldContent[mediaType]), asObject(newContent[mediaType])];
    if (!same(resolvedExamples(context.base, oldMedia), resolvedExamples(context.current, newMedia))) {
      record(context, media(mediaType), "examples", "examples edited", DOCUMENTATION_ONLY);
    }
    await compareSchemas({ ...context, side, where: place.where }, oldMedia.schema, newMedia.schema, place.subject);
  }
}

const resolvedExamples = (document: JsonObject, media: JsonObject) => [
  media.example,
  Object.entries(asObject(media.examples)).map(([name, example]) => [name, resolve(document, example)]),
];

/** The ways a client may authenticate: each alternative is a set of schemes used together; `none` is no auth. */
function securityAlternatives(document: JsonObject, operation: Operation): string[] {
  const requirements = asArray(operation.operation.security ?? document.security);
  return (requirements.length > 0 ? requirements : [{}]).map((requirement) => {
    const schemes = Object.entries(asObject(requirement))
      .map(([scheme, scopes]) => (asArray(scopes).length > 0 ? `${scheme}(${asArray(scopes).join(",")})` : scheme))
      .sort();
    return schemes.length > 0 ? schemes.join("+") : "none";
  });
}

function compareSecurity(context: Context, before: Operation, after: Operation) {
  recordMembership(
    context,
    { before: securityAlternatives(context.base, before), after: securityAlternatives(context.current, after) },
    (alternative) => ({
      area: "security",
      subject: `${after.name}.auth[${alternative}]`,
      where: `${after.label} security`,
    }),
    (alternative) => [
      `auth ${alternative} no longer accepted`,
      breaking(
        alternative === "none"
          ? "calls without credentials are now refused"
          : `clients that authenticate with ${alternative} are refused`,
      ),
    ],
    (alternative) => [`auth ${alternative} also accepted`, compatible("clients may go on authenticating as before")],
  );
}

/** A scheme redefined under the same name (basic → digest, another header) changes how clients sign in. */
function compareSecuritySchemes(context: Context) {
  const schemes = (document: JsonObject) => asObject(asObject(document.components).securitySchemes);
  const now = schemes(context.current);
  for (const [name, raw] of Object.entries(schemes(context.base))) {
    if (!(name in now)) continue; // Its removal shows as removed auth alternatives.
    const [old, scheme] = [resolve(context.base, raw) ?? {}, resolve(context.current, now[name]) ?? {}];
    const place: Place = { area: "security", subject: name, where: `components.securitySchemes.${name}` };
    const definition = (value: JsonObject) => JSON.stringify({ ...value, description: undefined });
    if (definition(old) !== definition(scheme)) {
      record(
        context,
        place,
        "definition",
        `${definition(old)} → ${definition(scheme)}`,
        breaking("clients sign in the old way"),
      );
    }
    recordDocumentation(context, place, old, scheme, ["description"]);
  }
}

/** Every schema and response component is a type `ip1-nki/types` exports (`components["schemas"]["NkiUser"]`). */
function compareExportedTypes(context: Context) {
  for (const section of ["schemas", "responses"]) {
    const names = (document: JsonObject) => Object.keys(asObject(asObject(document.components)[section]));
    recordMembership(
      context,
      { before: names(context.base), after: names(context.current) },
      (name) => ({ area: "types", subject: `${section}.${name}`, where: `components["${section}"]["${name}"]` }),
      () => ["exported type removed (renamed or dropped)", breaking("code that imports the type stops compiling")],
      () => ["new exported type", compatible("nothing that compiled stops compiling")],
    );
  }
}

function compareServers(context: Context) {
  const urls = (document: JsonObject) => asArray(document.servers).map((server) => String(asObject(server).url));
  recordMembership(
    context,
    { before: urls(context.base), after: urls(context.current) },
    (url) => ({ area: "servers", subject: url, where: "servers" }),
    () => ["server removed", breaking("clients that call this base URL may fail")],
    () => ["server added", compatible("the base URLs clients use are still listed")],
  );
}
