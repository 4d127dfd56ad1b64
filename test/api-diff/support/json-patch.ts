// The RFC 6902 operations the spec-mutation fixtures use (add, remove, replace, move), applied in place.

export interface PatchOperation {
  op: "add" | "remove" | "replace" | "move";
  /** JSON pointer; `-` as the last token appends to an array. */
  path: string;
  /** For `move`: where the value comes from. */
  from?: string;
  value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

function locate(document: unknown, pointer: string): { parent: Container; key: string } {
  const tokens = pointer
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  const key = tokens.pop();
  const parent = tokens.reduce<unknown>(
    (node, token) => (node as Record<string, unknown> | undefined)?.[token],
    document,
  );
  if (key === undefined || typeof parent !== "object" || parent === null) throw new Error(`No such place: ${pointer}`);
  return { parent: parent as Container, key };
}

function take(document: unknown, pointer: string): unknown {
  const { parent, key } = locate(document, pointer);
  if (Array.isArray(parent)) return parent.splice(Number(key), 1)[0];
  if (!(key in parent)) throw new Error(`Nothing to remove at ${pointer}`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function put(document: unknown, pointer: string, value: unknown, replace: boolean): void {
  const { parent, key } = locate(document, pointer);
  if (!Array.isArray(parent)) {
    if (replace && !(key in parent)) throw new Error(`Nothing to replace at ${pointer}`);
    parent[key] = value;
  } else if (key === "-") parent.push(value);
  else parent.splice(Number(key), replace ? 1 : 0, value);
}

export function applyPatch(document: unknown, operations: PatchOperation[]): void {
  for (const operation of operations) {
    if (operation.op === "remove") take(document, operation.path);
    else if (operation.op === "move") put(document, operation.path, take(document, operation.from ?? ""), false);
    else put(document, operation.path, structuredClone(operation.value), operation.op === "replace");
  }
}
