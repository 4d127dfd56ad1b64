// The recipient fields as the bundled spec states them (NkiSendRequest.Users → NkiUser): the CSV columns, which are
// required, the order of --to's parts and the help text all come from here, so a spec edit plus `npm run pipeline`
// reaches the CLI with no hand edit. The CLI reads the generated/openapi.json it ships with.
import { readFileSync } from "node:fs";
import type { NkiUser } from "../index.js";
import { openApiDocument } from "./package-files.js";

type Json = Record<string, unknown>;

export interface RecipientField {
  /** The property name: the CSV column and the key on the wire (`FirstName`). */
  name: string;
  required: boolean;
  /** The JSON type the API takes: a cell is converted to it (`string`, `integer`, `number`, `boolean`). */
  type: string;
  /** The spec's description, first line. */
  description: string;
  maxLength?: number;
}

/** The field every recipient is known by: the first part of --to, and what de-duplication and reports key on. */
export const PHONE_FIELD = "Phone";

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function resolveLocal(document: Json, node: unknown): Json {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string" && hops < 32; hops++) {
    const path = current.$ref.replace(/^#\//, "").split("/");
    current = path.reduce<unknown>((at, key) => (isObject(at) ? at[key.replaceAll("~1", "/")] : undefined), document);
  }
  if (!isObject(current)) throw new Error("generated/openapi.json: the recipient schema cannot be resolved.");
  return current;
}

/** NkiUser's fields from `document` (the bundled spec), in the spec's order. */
export function fieldsFromSpec(document: Json): RecipientField[] {
  const schemas = (document.components as Json | undefined)?.schemas as Json | undefined;
  const request = resolveLocal(document, schemas?.NkiSendRequest);
  const users = resolveLocal(document, (request.properties as Json | undefined)?.Users);
  const user = resolveLocal(document, users.items);
  const required = new Set(Array.isArray(user.required) ? user.required : []);
  return Object.entries((user.properties ?? {}) as Json).map(([name, raw]) => {
    const schema = resolveLocal(document, raw);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    return {
      name,
      required: required.has(name),
      type: String(types.find((type) => type !== "null") ?? "string"),
      description: String(schema.description ?? "").split("\n")[0] ?? "",
      ...(typeof schema.maxLength === "number" ? { maxLength: schema.maxLength } : {}),
    };
  });
}

let cached: RecipientField[] | undefined;

/** The bundled spec's recipient fields, read once. */
export function recipientFields(): RecipientField[] {
  cached ??= fieldsFromSpec(JSON.parse(readFileSync(openApiDocument(), "utf8")) as Json);
  return cached;
}

/** --to's parts: the phone, then the required fields, then the optional ones, each group in the spec's order. */
export function toParts(): RecipientField[] {
  const fields = recipientFields();
  const phone = fields.filter((field) => field.name === PHONE_FIELD);
  const rest = fields.filter((field) => field.name !== PHONE_FIELD);
  return [...phone, ...rest.filter((field) => field.required), ...rest.filter((field) => !field.required)];
}

/** `PHONE,FIRSTNAME[,LASTNAME[,EMAIL[,EXTRA]]]`: required parts plain, optional ones nested in brackets. */
export function toFormat(): string {
  const parts = toParts();
  const firstOptional = parts.findIndex((field) => !field.required);
  const plain = (firstOptional === -1 ? parts : parts.slice(0, firstOptional)).map((f) => f.name.toUpperCase());
  const optional = firstOptional === -1 ? [] : parts.slice(firstOptional).map((f) => f.name.toUpperCase());
  return `${plain.join(",")}${optional.map((name) => `[,${name}`).join("")}${"]".repeat(optional.length)}`;
}

/**
 * A recipient from text cells by field name (an empty cell is absent). Each cell becomes the type the spec gives
 * its field; a cell that does not read as that type stays text, so validation names the field and the problem.
 */
export function userFromCells(cells: Record<string, string | undefined>): NkiUser {
  const user: Record<string, unknown> = {};
  for (const field of recipientFields()) {
    const cell = cells[field.name];
    if (cell !== undefined && cell !== "") user[field.name] = typed(field.type, cell);
  }
  return user as unknown as NkiUser;
}

function typed(type: string, cell: string): unknown {
  if ((type === "integer" || type === "number") && cell.trim() !== "" && Number.isFinite(Number(cell))) {
    return Number(cell);
  }
  if (type === "boolean" && /^(true|false)$/i.test(cell)) return cell.toLowerCase() === "true";
  return cell;
}
