// What the simulator reads from the bundled spec rather than restating it: each operation's path (found by its
// operationId, never by position), the Status table's descriptions, and the documented error answers' example
// messages. The JSON is bundled into the mock entry.
import spec from "../../generated/openapi.json" with { type: "json" };

type Json = Record<string, unknown>;

const components = spec.components as unknown as { schemas: Json; responses: Json };
const paths = spec.paths as unknown as Record<string, Record<string, { operationId?: string; responses?: Json }>>;

/** An operation of the spec: its method, path template, and the path as a pattern capturing each `{…}` segment. */
export interface SpecOperation {
  method: string;
  path: string;
  pattern: RegExp;
  responses: Json;
}

/** The operation whose operationId is `operationId`; throws when the spec has none (a renamed id must not pass). */
export function operationById(operationId: string): SpecOperation {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation?.operationId !== operationId) continue;
      // An empty segment matches too (`/bundle/`), so it is refused as the parameter's problem, as Prism does.
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "([^/]*)")}$`);
      return { method: method.toUpperCase(), path, pattern, responses: operation.responses ?? {} };
    }
  }
  throw new Error(`The bundled spec has no operation "${operationId}".`);
}

/** The NKI send (`sendNkiToUsers`) and the sent log's three reads. */
export const sendOperation = operationById("sendNkiToUsers");
export const sentSmsOperation = operationById("getSentSms");
export const sentListOperation = operationById("listSentSms");
export const sentBundleOperation = operationById("listSentSmsInBundle");

/** The send's path template, with the `nki` segment captured by {@link sendPathPattern}. */
export const SEND_PATH = sendOperation.path;
export const sendPathPattern = sendOperation.pattern;

/** Status code → description, from the table in OutgoingSms.Status ("| 0 | delivered to the gateway | … |"). */
export const statusDescriptions: ReadonlyMap<number, string> = (() => {
  const status = (components.schemas.OutgoingSms as { properties: { Status: { description: string } } }).properties
    .Status;
  const rows = [...status.description.matchAll(/^\|\s*(\d+)\s*\|\s*([^|(]+?)\s*(?:\([^)]*\))?\s*\|/gm)];
  return new Map(
    rows.map(([, code, meaning = ""]) => [Number(code), meaning.charAt(0).toUpperCase() + meaning.slice(1)]),
  );
})();

/** The example `Message` an operation's spec gives for a `status` answer. */
function exampleMessage(operation: SpecOperation, status: number): string {
  const response = operation.responses[status] as { $ref?: string } | undefined;
  const resolved = (response?.$ref ? components.responses[response.$ref.split("/").pop() as string] : response) as
    | { content: { "application/json": { example: { Message: string } } } }
    | undefined;
  const message = resolved?.content["application/json"].example.Message;
  if (!message) throw new Error(`The spec documents no example Message for a ${status} answer.`);
  return message;
}

/** The example `Message` of each documented error status of the send (400, 401, 403), as the spec gives it. */
export const errorMessages: Readonly<Record<400 | 401 | 403, string>> = {
  400: exampleMessage(sendOperation, 400),
  401: exampleMessage(sendOperation, 401),
  403: exampleMessage(sendOperation, 403),
};

/** The sent log's 401 message (the same response for its three reads). */
export const sentLogUnauthorizedMessage = exampleMessage(sentSmsOperation, 401);
