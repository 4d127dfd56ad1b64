// The client policy: what no sane send contains, refused before anything is sent. It is a layer on top of the spec,
// stricter than it, and kept apart from the spec's generated validators (validate.ts), which must keep agreeing with
// Prism and IP1. It is never stricter than IP1 documents without a stated reason: each rule cites its source at the
// rule, and the README lists them under "Client policy".
import type { Ip1Problem } from "./errors.js";
import { containsControlCharacter, containsControlCharacterBesidesLineBreaks } from "./text.js";

/** The size limits a send is held to; see `maxRequestBytes` and `maxResponseBytes` in Ip1ClientOptions. */
export interface SendLimits {
  maxRequestBytes: number;
  maxResponseBytes: number;
}

export const defaultLimits: SendLimits = { maxRequestBytes: 1_048_576, maxResponseBytes: 16_777_216 };

/**
 * The most recipients per request (`chunkSize`, the CLI's `--chunk-size`): IP1 recommends at most 1000 (REST-API.md,
 * for `sms/send`; applying it to NKI send is an inference).
 */
export const LARGEST_CHUNK_SIZE = 1000;

// Sender: IP1's v1 REST documentation (iP1SMS/documentation, REST-API.md) says From "can be either a up to 15 digit
// (telephone) number or an up to 11 character ASCII string", and its own example is "iP.1". So: up to 15 digits, or 1
// to 11 printable ASCII characters (space to ~), which lets `iP.1`, `Ice-Shop` and `Bolaget AB` through. IP1's v2 rule
// ([0-9A-Za-z]{3,11}, ip1sms.com/en/developer/sending-sms) is another API's. Longer senders: v1 says nothing of what
// happens to them (php-sdk SMS.php: truncated), so they are refused rather than sent cut short.
const senderRule = /^(?:\d{1,15}|[ -~]{1,11})$/;

/** The policy's problems with `nki`. Source: our rule; the spec asks only for an int32, and IP1's NKI ids start at 1. */
export function nkiPolicyProblems(nki: unknown): Ip1Problem[] {
  return Number.isInteger(nki) && (nki as number) < 1 ? [{ path: "nki", message: "must be 1 or more" }] : [];
}

/** The policy's problems with the request's own fields: Message, From, Users (not its users; see recipient). */
export function envelopePolicyProblems(body: Record<string, unknown>): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  const { Message, From, Users } = body;
  // Our rule, as IP1's v2 ("non-empty", ip1sms.com/en/developer/sending-sms); v1 publishes no limit: an empty or blank
  // text is a mistake (an unfilled template), and it would still be charged a segment per person.
  if (typeof Message === "string" && Message.trim() === "") {
    problems.push({ path: "Message", message: "must not be empty or only whitespace" });
  }
  // Line breaks are GSM 03.38 characters (LF 0x0A, CR 0x0D in the basic table) and ordinary in a survey text; any
  // other control character (NUL, TAB, ESC, …) has no place in GSM 03.38's basic table and is refused (our rule).
  if (typeof Message === "string" && containsControlCharacterBesidesLineBreaks(Message)) {
    problems.push({
      path: "Message",
      message: "must not contain control characters other than line breaks (NUL, TAB, …)",
    });
  }
  if (typeof From === "string" && !senderRule.test(From)) {
    problems.push({
      path: "From",
      message: "must be up to 11 printable ASCII characters, or up to 15 digits (IP1's sender rule)",
    });
  } else if (typeof From === "string" && From.trim() === "") {
    // Our rule: a sender of spaces shows the recipient no sender at all.
    problems.push({ path: "From", message: "must not be only spaces" });
  }
  if (Array.isArray(Users) && Users.length === 0) problems.push({ path: "Users", message: "must not be empty" });
  return problems;
}

/**
 * Control characters in any string field of `record` but `except` (a recipient's FirstName, LastName, Email, Extra),
 * each named `prefix` + field. Our rule (IP1 says nothing): a name or address holding a NUL, a TAB or a line break is a broken
 * export (a merged cell, a pasted column), and it would split a CSV or log line about that recipient.
 */
export function controlCharacterProblems(record: object, prefix: string, except?: string): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  for (const field of Object.keys(record)) {
    const value = (record as Record<string, unknown>)[field];
    if (field !== except && typeof value === "string" && containsControlCharacter(value)) {
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

const beyondAscii = /[\u0080-\uffff]/;

/** The UTF-8 length of `text`, without encoding it. */
export function utf8Length(text: string): number {
  // Most text is ASCII, one byte a character: one native test is four times faster than the loop below.
  if (!beyondAscii.test(text)) return text.length;
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
