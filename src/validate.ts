// Checks a send's input with the validators generated from the spec, before anything goes on the wire.
import {
  type ValidationProblem,
  validateSendNkiToUsersBody,
  validateSendNkiToUsersPathParams,
} from "../generated/validators.js";
import { type Ip1Problem, Ip1ValidationError } from "./errors.js";
import type { NkiSendRequest } from "./types-entry.js";

/** Throws Ip1ValidationError listing every problem of `nki` and `body`, each named by its path (`Users[0].Phone`). */
export function assertValidSend(nki: unknown, body: unknown): asserts body is NkiSendRequest {
  const problems: Ip1Problem[] = [];
  if (!validateSendNkiToUsersPathParams({ nki })) problems.push(...toProblems(validateSendNkiToUsersPathParams.errors));
  if (!validateSendNkiToUsersBody(body)) problems.push(...toProblems(validateSendNkiToUsersBody.errors));
  if (problems.length) throw new Ip1ValidationError(problems);
}

function toProblems(errors: ValidationProblem[] | null | undefined): Ip1Problem[] {
  return (errors ?? []).map(({ instancePath, keyword, params, message }) =>
    keyword === "required"
      ? { path: toPath(`${instancePath}/${params.missingProperty}`), message: "is required" }
      : { path: toPath(instancePath), message: message ?? keyword },
  );
}

/** "/Users/0/Phone" → "Users[0].Phone"; the root is "body". */
export function toPath(pointer: string): string {
  let path = "";
  // The schema's property names hold no "/" or "~", so pointer segments need no unescaping.
  for (const segment of pointer.split("/").slice(1)) {
    path += /^\d+$/.test(segment) ? `[${segment}]` : path ? `.${segment}` : segment;
  }
  return path || "body";
}
