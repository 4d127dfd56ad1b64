// Phone numbers: the one place that turns what a caller wrote into the E.164 number IP1 is sent, and that decides when
// two recipients are the same person. The client, the bulk sender, the CLI and the mock all use this file.
//
// libphonenumber-js's "max" metadata, because it is the smallest of its sets that validates every country right:
// "min" checks only lengths (it accepts numbers no operator has assigned, such as +47 42 19 38 08, in 165 of 245
// countries), and "mobile" refuses valid fixed-line, pager and personal numbers in about 90 countries, which some
// operators text. See test/client/phone.test.ts.
import { invalidPhoneProblem } from "./national-number.js";
import type { PhoneCountry } from "./phone-country.js";
import { checkE164 } from "./phone-e164.js";
import { parsePhoneNumber, phoneMetadata } from "./phone-library.js";
import { containsControlCharacter } from "./text.js";

export type { PhoneCountry };

/** What {@link normalizePhone} found: the E.164 number and its country, or why the text is not a phone number. */
export type NormalizedPhone =
  | { ok: true; e164: string; country: PhoneCountry | undefined }
  | { ok: false; problem: string };

/** Whether `text` is a country {@link normalizePhone} knows (`SE`, `NO`, …): checks a `defaultCountry` option. */
export function isPhoneCountry(text: unknown): text is PhoneCountry {
  // libphonenumber-js's isSupportedCountry from the metadata alone (no library code to load), own keys only: an
  // inherited name such as "constructor" is no country.
  return typeof text === "string" && Object.hasOwn(phoneMetadata().countries, text);
}

/**
 * Parses a phone number as written (`+46 70-000 00 01`, `0046700000001`, or `070-000 00 01` with `defaultCountry`
 * `SE`) into E.164 (`+46700000001`). The whole text must be one number that is valid in its country: nothing before
 * or after it, no extension, no control characters. Without `defaultCountry`, a number must be international (`+`
 * or the `00` prefix).
 */
export function normalizePhone(text: string, defaultCountry?: PhoneCountry): NormalizedPhone {
  // Most numbers arrive in E.164 already: checked without libphonenumber-js's per-call RegExps (phone-e164.ts).
  const fast = checkE164(text);
  if (fast) return Object.freeze(fast.valid ? { ok: true, e164: text, country: fast.country } : invalidPhone);
  const key = `${defaultCountry ?? ""} ${text}`;
  const known = recentlyNormalized.get(key);
  if (known) return known;
  if (recentlyNormalized.size >= recentLimit) recentlyNormalized.clear();
  const normalized = Object.freeze(parsePhone(text, defaultCountry));
  // Only text the length of a phone number is kept, so a megabyte-long "phone" is never held on to.
  if (text.length <= 32) recentlyNormalized.set(key, normalized);
  return normalized;
}

// Parsing is most of what a send costs the client (about 10 µs a number), and the same number is often parsed again
// soon: the CLI checks each row on two passes, and an in-process simulator reads back what the client just sent.
// Results are frozen, so a caller cannot change what another gets; the cache is small and simply starts over when full.
const recentLimit = 4096;
const recentlyNormalized = new Map<string, NormalizedPhone>();
const invalidPhone: NormalizedPhone = Object.freeze({ ok: false, problem: "not a valid phone number" });

function parsePhone(text: string, defaultCountry: PhoneCountry | undefined): NormalizedPhone {
  if (containsControlCharacter(text)) return { ok: false, problem: "must not contain control characters" };
  const trimmed = text.trim();
  // "00" is the international prefix in most of the world; without a country to say otherwise, read it as "+".
  const written = defaultCountry === undefined && trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumber(written, { defaultCountry, extract: false });
  if (!parsed?.isValid()) return { ok: false, problem: invalidPhoneProblem(written, defaultCountry) };
  // An SMS cannot dial an extension: sending to the main number would text someone else.
  if (parsed.ext) return { ok: false, problem: "has an extension, which cannot receive an SMS" };
  return { ok: true, e164: parsed.number, country: parsed.country as PhoneCountry | undefined };
}

// Duplicates are found in phone-registry.ts; importers of this file (validate.ts, bulk.ts, tests) keep finding them here.
export { type DuplicatePhone, dedupeByPhone, PhoneRegistry } from "./phone-registry.js";
