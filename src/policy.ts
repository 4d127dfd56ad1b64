// The client policy: what no sane send contains, refused before anything is sent. It is a layer on top of the spec,
// stricter than it, and kept apart from the spec's generated validators (validate.ts), which must keep agreeing with
// Prism and IP1. Each rule names its reason; the README lists them under "Client policy".
import type { Ip1Problem } from "./errors.js";
import { containsControlCharacter } from "./text.js";

/** The size limits a send is held to; see `maxRequestBytes` and `maxResponseBytes` in Ip1ClientOptions. */
export interface SendLimits {
  maxRequestBytes: number;
  maxResponseBytes: number;
}

export const defaultLimits: SendLimits = { maxRequestBytes: 1_048_576, maxResponseBytes: 16_777_216 };

// IP1's v1 REST documentation (iP1SMS/documentation, REST-API.md): a sender is "up to 15 digits or up to 11 ASCII
// characters". Letters and digits only: IP1's v2 documentation rejects anything outside [0-9A-Za-z].
const senderRule = /^(?:\d{1,15}|[0-9A-Za-z]{1,11})$/;

/** The policy's problems with `nki` (the spec asks only for an int32). */
export function nkiPolicyProblems(nki: unknown): Ip1Problem[] {
  return Number.isInteger(nki) && (nki as number) < 1 ? [{ path: "nki", message: "must be 1 or more" }] : [];
}

/** The policy's problems with the request's own fields: Message, From, Users (not its users; see recipient). */
export function envelopePolicyProblems(body: Record<string, unknown>): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  const { Message, From, Users } = body;
  if (typeof Message === "string" && Message.trim() === "") {
    problems.push({ path: "Message", message: "must not be empty or only whitespace" });
  }
  if (typeof From === "string" && !senderRule.test(From)) {
    problems.push({
      path: "From",
      message: "must be up to 11 ASCII letters and digits, or up to 15 digits (IP1's sender rule)",
    });
  }
  if (Array.isArray(Users) && Users.length === 0) problems.push({ path: "Users", message: "must not be empty" });
  problems.push(...controlCharacterProblems({ Message, From }, ""));
  return problems;
}

/** Control characters in any string field of `record`, each named `prefix` + field. */
export function controlCharacterProblems(record: Record<string, unknown>, prefix: string): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (typeof value === "string" && containsControlCharacter(value)) {
      problems.push({ path: `${prefix}${field}`, message: "must not contain control characters (NUL, CR, LF, …)" });
    }
  }
  return problems;
}

/** The request body's size problem, if `bytes` of JSON exceed the limit; `path` names the request or chunk. */
export function requestSizeProblems(bytes: number, maxRequestBytes: number, path: string): Ip1Problem[] {
  return bytes > maxRequestBytes
    ? [{ path, message: `is ${bytes} bytes of JSON, over the ${maxRequestBytes}-byte limit (maxRequestBytes)` }]
    : [];
}

/** The UTF-8 length of `text`, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: two UTF-16 units, four bytes.
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}
