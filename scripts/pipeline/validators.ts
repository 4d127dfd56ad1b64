// Request and response validators from the bundle, with ajv's standalone code generation: plain ESM with no imports,
// so nothing compiles a schema or calls `new Function` at run time, and the published package does not need ajv.
import { createRequire } from "node:module";
import type { AnySchema } from "ajv";
import { operationsOf, resolve } from "../lib/openapi-refs.js";
import { generatedFiles } from "../lib/project.js";
import { bundled, type OpenApiDocument, type Step } from "./step.js";

const SCHEMA_ID = "openapi.json";

type Json = Record<string, unknown>;

/** One validator to export: its name, the JSON pointer of its schema in the bundle, and the TS type it checks. */
interface ValidatorEntry {
  name: string;
  pointer: string;
  type: string;
}

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const escapePointer = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * Each component schema, and each operation's path parameters (one object, so errors name the parameter), JSON
 * request body and JSON responses: walked from the spec, so a new operation needs only a spec edit.
 */
export function listValidators(document: OpenApiDocument): { entries: ValidatorEntry[]; extraSchemas: Json } {
  const entries: ValidatorEntry[] = [];
  const extraSchemas: Json = {};
  const add = (name: string, pointer: string, type: string) => entries.push({ name: `validate${name}`, pointer, type });
  for (const name of Object.keys(document.components?.schemas ?? {})) {
    add(name, `#/components/schemas/${name}`, `components["schemas"]["${name}"]`);
  }
  for (const { path, method, operation, parameters } of operationsOf(document).values()) {
    const id = pascal(String(operation.operationId));
    const opType = `paths["${path}"]["${method}"]`;
    const opPointer = `#/paths/${escapePointer(path)}/${method}`;
    const pathParams = parameters.filter((p) => p.in === "path");
    if (pathParams.length > 0) {
      extraSchemas[`${id}PathParams`] = {
        type: "object",
        required: pathParams.filter((p) => p.required).map((p) => p.name),
        properties: Object.fromEntries(pathParams.map((p) => [p.name, p.schema])),
      };
      add(`${id}PathParams`, `#/$defs/${id}PathParams`, `${opType}["parameters"]["path"]`);
    }
    if ((operation.requestBody as Json | undefined)?.content) {
      const type = `NonNullable<${opType}["requestBody"]>["content"]["application/json"]`;
      add(`${id}Body`, `${opPointer}/requestBody/content/application~1json/schema`, type);
    }
    for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
      if (!(resolve(document, response)?.content as Json | undefined)?.["application/json"]) continue;
      const base = response.$ref ? String(response.$ref) : `${opPointer}/responses/${status}`;
      const type = `${opType}["responses"][${status}]["content"]["application/json"]`;
      add(`${id}Response${status}`, `${base}/content/application~1json/schema`, type);
    }
  }
  return { entries, extraSchemas };
}

// Annotations, left out of the generated code; only with an annotation's value, so a property named Description stays.
const isAnnotation = (key: string, value: unknown) =>
  (["title", "description", "summary"].includes(key) && typeof value === "string") ||
  (key === "examples" && Array.isArray(value));

// `int32` as minimum/maximum, checked without a format module (and ajv's message names the bound).
function forValidation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forValidation);
  if (node === null || typeof node !== "object") return node;
  const copy: Json = Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !isAnnotation(key, value))
      .map(([key, value]) => [key, forValidation(value)]),
  );
  if (copy.format === "int32") {
    copy.minimum ??= -2147483648;
    copy.maximum ??= 2147483647;
  }
  return copy;
}

// ajv's standalone output still requires this helper; inline it so the module has no imports.
const UCS2LENGTH_INLINE = `function ucs2length(str) {
  // Length in code points, as JSON Schema counts string length (an emoji is one character, not two).
  let length = 0;
  for (const _ of str) length++;
  return length;
}`;

// Keywords only JSON Schema 2020-12 has. Without them draft-07 validates the same, and its code tree-shakes: Ajv2020's
// `validateN.evaluated = …` assignments keep every validator in a client bundle.
const KEYWORDS_ONLY_IN_2020 =
  /^(unevaluated(Properties|Items)|prefixItems|\$dynamic(Ref|Anchor)|\$recursiveRef|\$anchor|dependent(Schemas|Required)|(min|max)Contains)$/;

function usesKeywordsOnlyIn2020(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesKeywordsOnlyIn2020);
  if (node === null || typeof node !== "object") return false;
  return Object.entries(node).some(([key, value]) => KEYWORDS_ONLY_IN_2020.test(key) || usesKeywordsOnlyIn2020(value));
}

export function generateValidators(document: OpenApiDocument): { code: string; types: string } {
  const { entries, extraSchemas } = listValidators(document);
  const schema = forValidation({
    $id: SCHEMA_ID,
    $defs: extraSchemas,
    components: document.components,
    paths: document.paths,
  }) as AnySchema;
  const require = createRequire(import.meta.url);
  const { Ajv } = require("ajv") as typeof import("ajv");
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const standalone = (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default;
  const AjvClass = usesKeywordsOnlyIn2020(schema) ? Ajv2020 : Ajv;
  const ajv = new AjvClass({
    allErrors: true, // Ip1ValidationError lists every problem, not the first.
    strict: true,
    strictSchema: "log",
    formats: { int32: true, double: true }, // Checked through withInt32Ranges; `double` needs no check.
    code: { source: true, esm: true, lines: true, optimize: true },
    inlineRefs: false, // Each schema is one function that others call, not a copy inlined at every use.
    logger: false,
  });
  ajv.addKeyword("components").addKeyword("paths");
  ajv.addSchema(schema);
  // A response component shared by several operations (one 401 for every read) is one schema: ajv's standalone code
  // emits one function per export, so a shared pointer is exported once and its other names alias that export.
  const firstByPointer = new Map<string, string>();
  for (const entry of entries) if (!firstByPointer.has(entry.pointer)) firstByPointer.set(entry.pointer, entry.name);
  const aliases = entries.filter((entry) => firstByPointer.get(entry.pointer) !== entry.name);
  let code = standalone(
    ajv,
    Object.fromEntries([...firstByPointer].map(([pointer, name]) => [name, `${SCHEMA_ID}${pointer}`])),
  );
  code += aliases.map((entry) => `\nexport const ${entry.name} = ${firstByPointer.get(entry.pointer)};`).join("");
  code = code.replace(/const (\w+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;?/, (_, name: string) =>
    UCS2LENGTH_INLINE.replace("function ucs2length", `function ${name}`),
  );
  if (code.includes("require(")) throw new Error("Generated validators still contain require(); inline the helper.");

  const header = "// This file was generated by `npm run pipeline` from generated/openapi.json. Do not edit it.\n";
  const types = [
    header,
    'import type { components, paths } from "./schema.js";\n',
    "/** One problem ajv found, with `instancePath` as a JSON pointer (for example /Users/0/Phone). */",
    "export interface ValidationProblem {",
    "  instancePath: string;",
    "  keyword: string;",
    "  params: Record<string, unknown>;",
    "  message?: string;",
    "}\n",
    "/** A generated validator: a type guard whose `errors` lists every problem of the last failed call. */",
    "export interface Validator<T> {",
    "  (data: unknown): data is T;",
    "  errors?: ValidationProblem[] | null;",
    "}\n",
    ...entries.map((entry) => `export declare const ${entry.name}: Validator<${entry.type}>;`),
    "",
  ].join("\n");
  return { code: `${header}${code.trimEnd()}\n`, types };
}

export const validators: Step = async (run) => {
  const { code, types } = generateValidators(bundled(run));
  return { [generatedFiles.validators]: code, [generatedFiles.validatorTypes]: types };
};
