// What the simulator reads from the bundled spec rather than restating it: the send path, the Status table's
// descriptions, and the documented error answers' example messages. The JSON is bundled into the mock entry.
import spec from "../../generated/openapi.json" with { type: "json" };

type Json = Record<string, unknown>;

const components = spec.components as unknown as { schemas: Json; responses: Json };

/** The one operation's path template, and its path as a pattern with the `nki` segment captured. */
export const SEND_PATH = Object.keys(spec.paths)[0] as string;
export const sendPathPattern = new RegExp(`^${SEND_PATH.replace(/\{[^}]+\}/, "([^/]+)")}$`);

/** Status code → description, from the table in OutgoingSms.Status ("| 0 | delivered to the gateway | … |"). */
export const statusDescriptions: ReadonlyMap<number, string> = (() => {
  const status = (components.schemas.OutgoingSms as { properties: { Status: { description: string } } }).properties
    .Status;
  const rows = [...status.description.matchAll(/^\|\s*(\d+)\s*\|\s*([^|(]+?)\s*(?:\([^)]*\))?\s*\|/gm)];
  return new Map(
    rows.map(([, code, meaning = ""]) => [Number(code), meaning.charAt(0).toUpperCase() + meaning.slice(1)]),
  );
})();

/** The example `Message` of each documented error status (400, 401, 403), as the spec's responses give it. */
export const errorMessages: Readonly<Record<400 | 401 | 403, string>> = (() => {
  const responses = (spec.paths[SEND_PATH as keyof typeof spec.paths] as unknown as { post: { responses: Json } }).post
    .responses;
  const messageOf = (status: number) => {
    const response = responses[status] as { $ref?: string } | undefined;
    const resolved = (response?.$ref ? components.responses[response.$ref.split("/").pop() as string] : response) as
      | { content: { "application/json": { example: { Message: string } } } }
      | undefined;
    const message = resolved?.content["application/json"].example.Message;
    if (!message) throw new Error(`The spec documents no example Message for a ${status} answer.`);
    return message;
  };
  return { 400: messageOf(400), 401: messageOf(401), 403: messageOf(403) };
})();
