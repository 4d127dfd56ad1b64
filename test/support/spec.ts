// The bundled spec as tests read it, and the valid request the spec's own example gives.
import { readFileSync } from "node:fs";
import { resolve } from "../../scripts/lib/openapi-refs.js";

type Json = Record<string, unknown>;

export const bundledSpecPath = new URL("../../generated/openapi.json", import.meta.url);
export const bundledSpec = JSON.parse(readFileSync(bundledSpecPath, "utf8")) as Json;

/** Follows local `#/…` refs until it reaches a value that is not a ref (the pipeline's own resolver). */
export function resolveRef(node: unknown): Json {
  const target = resolve(bundledSpec, node);
  if (!target) throw new Error(`Nothing in the bundle at ${JSON.stringify(node)}.`);
  return target;
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
