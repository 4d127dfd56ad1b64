// openapi-diff reads OpenAPI 3.0 only (its swagger-parser answers 3.1 with "Unsupported OpenAPI version"). Our spec
// is 3.1 but uses only features with a 3.0 spelling, so api-diff hands openapi-diff a 3.0.3 copy made here, in
// memory. A 3.1 feature without a faithful 3.0 spelling is an error naming where it is, never an approximation.

import { asArray, asObject, isObject, type JsonObject, operationsOf } from "./openapi-refs.js";
import { clientView } from "./schema-verdict.js";

/** 3.1-only schema keywords with no 3.0 spelling. */
const NO_30_SPELLING = [
  "$defs",
  "prefixItems",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "dependentRequired",
  "unevaluatedProperties",
  "unevaluatedItems",
  "patternProperties",
  "propertyNames",
  "contains",
  "contentMediaType",
  "contentEncoding",
];
const SUBSCHEMA_MAPS = ["properties"];
const SUBSCHEMAS = ["items", "additionalProperties", "not"];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf"];

export function toOpenApi30(document: JsonObject): JsonObject {
  const copy = structuredClone(document);
  // Request bodies are compared as a client sends them (closed), responses as written: see clientView. openapi-diff
  // derefs shared components itself, so a request body gets its own inlined, closed copy.
  for (const { operation } of operationsOf(copy).values()) {
    for (const media of Object.values(asObject(asObject(operation.requestBody).content))) {
      if (isObject(media) && media.schema !== undefined) media.schema = clientView("request", document, media.schema);
    }
  }
  copy.openapi = "3.0.3";
  const info = asObject(copy.info);
  delete info.summary;
  delete asObject(info.license).identifier;
  if (Object.keys(asObject(copy.webhooks)).length > 0) throw noSpelling("webhooks");
  delete copy.webhooks;
  delete copy.jsonSchemaDialect;
  if (isObject(copy.components)) delete copy.components.pathItems;
  convertSchemasIn(copy, "#");
  return copy;
}

/** Finds every schema (under `schema` keys and components.schemas) and converts it in place. */
function convertSchemasIn(node: unknown, pointer: string): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      convertSchemasIn(item, `${pointer}/${index}`);
    });
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples") continue; // Example values are data, not schemas.
    if (key === "schema" && isObject(value)) convertSchema(value, `${pointer}/schema`);
    else if (key === "schemas" && pointer === "#/components") {
      for (const [name, schema] of Object.entries(asObject(value)))
        convertSchema(asObject(schema), `${pointer}/schemas/${name}`);
    } else convertSchemasIn(value, `${pointer}/${key}`);
  }
}

function convertSchema(schema: JsonObject, pointer: string): void {
  for (const keyword of NO_30_SPELLING) if (keyword in schema) throw noSpelling(`${pointer}/${keyword}`);
  if (Array.isArray(schema.examples)) {
    if (schema.examples.length > 0) schema.example = schema.examples[0];
    delete schema.examples;
  }
  if (Array.isArray(schema.required) && schema.required.length === 0) delete schema.required; // 3.0: minItems 1
  if ("const" in schema) {
    schema.enum = [schema.const];
    delete schema.const;
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== "null");
    if (types.length !== 1) throw noSpelling(`${pointer}/type ${JSON.stringify(schema.type)}`);
    if (types.length < schema.type.length) schema.nullable = true;
    schema.type = types[0];
  }
  for (const bound of ["exclusiveMinimum", "exclusiveMaximum"] as const) {
    if (typeof schema[bound] === "number") throw noSpelling(`${pointer}/${bound} (a number in 3.1, a flag in 3.0)`);
  }
  for (const key of SUBSCHEMA_MAPS) {
    for (const [name, sub] of Object.entries(asObject(schema[key])))
      if (isObject(sub)) convertSchema(sub, `${pointer}/${key}/${name}`);
  }
  for (const key of SUBSCHEMAS) if (isObject(schema[key])) convertSchema(schema[key], `${pointer}/${key}`);
  for (const key of SUBSCHEMA_LISTS) {
    for (const [index, sub] of asArray(schema[key]).entries()) {
      if (isObject(sub)) convertSchema(sub, `${pointer}/${key}/${index}`);
    }
  }
}

const noSpelling = (where: string) =>
  new Error(
    `api-diff: ${where} has no OpenAPI 3.0 spelling, so openapi-diff cannot read it. Teach scripts/lib/openapi-30-copy.ts to map it.`,
  );
