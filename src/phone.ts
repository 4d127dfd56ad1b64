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
  // libphonenumber-js's isSupportedCountry, from the metadata alone; own keys only ("constructor" is no country).
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

/** A recipient whose normalized phone was already seen: both positions (0-based) and the number. */
export interface DuplicatePhone {
  phone: string;
  firstIndex: number;
  index: number;
}

/**
 * Remembers every normalized phone seen so far and where, so duplicates can be found across chunks and streams.
 * `add` returns the earlier position of the same phone, or `undefined` for a phone seen for the first time.
 * An E.164 number (at most 15 digits) is kept as a number in an open-addressing table of typed arrays: 16 bytes a
 * slot and no object per phone, so a million phones cost about 32 MB that the garbage collector never has to trace.
 */
export class PhoneRegistry {
  #phones: Float64Array;
  #firstIndex: Float64Array;
  #size = 0;
  /** Anything that is not E.164 (callers should normalize first, but nothing is lost if they do not). */
  readonly #others = new Map<string, number>();

  /**
   * `expected`: about how many phones will be added, when known (a send's recipients), so the table is made big
   * enough once (up to a million) instead of doubling as it fills. Small by default: most sends hold a few.
   */
  constructor(expected = 0) {
    const slots = 2 ** Math.max(4, Math.ceil(Math.log2(Math.min(expected, 2 ** 20) * 2 + 1)));
    this.#phones = new Float64Array(slots);
    this.#firstIndex = new Float64Array(slots);
  }

  add(e164: string, index: number): number | undefined {
    if (!/^\+[1-9]\d{1,14}$/.test(e164)) {
      const first = this.#others.get(e164);
      if (first === undefined) this.#others.set(e164, index);
      return first;
    }
    const phone = Number(e164.slice(1));
    const slot = this.#find(phone);
    if (this.#phones[slot] === phone) return this.#firstIndex[slot];
    this.#phones[slot] = phone;
    this.#firstIndex[slot] = index;
    if (++this.#size * 2 > this.#phones.length) this.#grow();
    return undefined;
  }

  get size(): number {
    return this.#size + this.#others.size;
  }

  /** The slot holding `phone`, or the empty slot where it goes (0 marks empty: no phone is 0). */
  #find(phone: number): number {
    const mask = this.#phones.length - 1;
    let slot = (Math.imul(phone % 0x100000000, 0x9e3779b1) ^ Math.floor(phone / 0x100000000)) & mask;
    while (this.#phones[slot] !== 0 && this.#phones[slot] !== phone) slot = (slot + 1) & mask;
    return slot;
  }

  #grow() {
    const phones = this.#phones;
    const firstIndex = this.#firstIndex;
    this.#phones = new Float64Array(phones.length * 2);
    this.#firstIndex = new Float64Array(phones.length * 2);
    for (let slot = 0; slot < phones.length; slot++) {
      const phone = phones[slot] as number;
      if (phone === 0) continue;
      const to = this.#find(phone);
      this.#phones[to] = phone;
      this.#firstIndex[to] = firstIndex[slot] as number;
    }
  }
}

/**
 * Splits `users` (whose `Phone` is already normalized) into the first of each phone and the duplicates after it, so
 * callers can de-duplicate their own lists the way the client does.
 */
export function dedupeByPhone<T extends { Phone: string }>(
  users: readonly T[],
): { kept: T[]; duplicates: DuplicatePhone[] } {
  const seen = new PhoneRegistry();
  const kept: T[] = [];
  const duplicates: DuplicatePhone[] = [];
  users.forEach((user, index) => {
    const firstIndex = seen.add(user.Phone, index);
    if (firstIndex === undefined) kept.push(user);
    else duplicates.push({ phone: user.Phone, firstIndex, index });
  });
  return { kept, duplicates };
}
