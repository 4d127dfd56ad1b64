// Reading a bundled OpenAPI document: its refs are all local (`#/components/...`), because the bundle step made them so.

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The value a local ref points at in `document`, or undefined when nothing is there. */
export function refTarget(document: JsonObject, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`Only local refs are expected in a bundled document, not ${ref}.`);
  return ref
    .slice(2)
    .split("/")
    .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
}

/** Follows refs until it reaches an object that is not one; undefined for anything else. */
export function resolve(document: JsonObject, node: unknown): JsonObject | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 64) throw new Error(`Ref chain too long (a cycle?) at ${current.$ref}.`);
    current = refTarget(document, current.$ref);
  }
  return isObject(current) ? current : undefined;
}

/** `#/components/schemas/NkiUser` → `NkiUser`: the name the generated types give the schema. */
export function schemaRefName(node: unknown): string | undefined {
  const ref = isObject(node) ? node.$ref : undefined;
  return typeof ref === "string" && ref.startsWith("#/components/schemas/")
    ? ref.slice("#/components/schemas/".length)
    : undefined;
}

/** `node` with each local ref inlined; throws on a recursive schema. `cache` shares copies: read them, never write. */
export function inlineRefs(
  document: JsonObject,
  node: unknown,
  path: readonly string[] = [],
  cache?: Map<string, unknown>,
): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(document, item, path, cache));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === "string") {
    if (path.includes(ref)) {
      throw new Error(`Recursive schema (${[...path, ref].join(" → ")}): api-diff compares ref-free schemas.`);
    }
    const inlined = cache?.get(ref) ?? inlineRefs(document, refTarget(document, ref), [...path, ref], cache);
    cache?.set(ref, inlined);
    return inlined;
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, inlineRefs(document, value, path, cache)]),
  );
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface Operation {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  /** `POST /api/nkis/{nki}/users/send` */
  label: string;
  /** operationId when there is one (the generated client and types are named after it), else the label. */
  name: string;
  /** Path-level and operation-level parameters, resolved; the operation's win (as OpenAPI says). */
  parameters: JsonObject[];
  operation: JsonObject;
}

/** Every operation, keyed so that `/a/{x}` and `/a/{y}` pair up: to OpenAPI and clients they are the same path. */
export function operationsOf(document: JsonObject): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, rawItem] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    const pathItem = resolve(document, rawItem) ?? {};
    for (const method of HTTP_METHODS) {
      const operation = resolve(document, pathItem[method]);
      if (!operation) continue;
      const parameters = new Map<string, JsonObject>();
      for (const raw of [...asArray(pathItem.parameters), ...asArray(operation.parameters)]) {
        const parameter = resolve(document, raw);
        if (parameter) parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      const label = `${method.toUpperCase()} ${path}`;
      operations.set(`${method} ${path.replaceAll(/\{[^}]*\}/g, "{}")}`, {
        method,
        path,
        label,
        name: typeof operation.operationId === "string" ? operation.operationId : label,
        parameters: [...parameters.values()],
        operation,
      });
    }
  }
  return operations;
}

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asObject = (value: unknown): JsonObject => (isObject(value) ? value : {});
