// The bundled spec as tests read it, and the valid request the spec's own example gives.
import { readFileSync } from "node:fs";

type Json = Record<string, unknown>;

export const bundledSpecPath = new URL("../../generated/openapi.json", import.meta.url);
export const bundledSpec = JSON.parse(readFileSync(bundledSpecPath, "utf8")) as Json;

/** Follows local `#/…` refs until it reaches a value that is not a ref. */
export function resolveRef(node: unknown): Json {
  let current = node as Json;
  while (typeof current?.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce<unknown>(
        (parent, key) => (parent as Json)[key.replaceAll("~1", "/").replaceAll("~0", "~")],
        bundledSpec,
      ) as Json;
  }
  return current;
}

export const SEND_PATH = "/api/nkis/{nki}/users/send";
export const sendOperation = (bundledSpec.paths as Record<string, Record<string, Json>>)[SEND_PATH]?.post as Json;

/** The request example from the spec: valid by construction, and what Prism echoes back. */
export const exampleBody = (
  resolveRef(
    (((sendOperation.requestBody as Json).content as Json)["application/json"] as { examples: Json }).examples
      .twoRecipients,
  ) as { value: Json }
).value;

export const sendUrl = (baseUrl: string, nki: string | number) => `${baseUrl}/api/nkis/${nki}/users/send`;
