// The E.164 fast path (src/phone-e164.ts) against libphonenumber-js itself: for every calling code, random digits,
// numbers of every type drawn from the metadata's own patterns, and the library's mobile examples, each also with a
// digit more, a digit less and a digit changed. Wherever the fast path answers, its verdict, E.164 form and country
// must be libphonenumber-js's; and normalizePhone (fast path or not) must say what libphonenumber-js says.
import fc from "fast-check";
import examples from "libphonenumber-js/examples.mobile.json";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import metadataJson from "libphonenumber-js/max/metadata";
import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../src/phone.js";
import { checkE164 } from "../../src/phone-e164.js";
import { runParameters } from "./run-parameters.js";

type Plan = [string, unknown, string, unknown, ...unknown[]];
const metadata = metadataJson as unknown as {
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, Plan>;
  nonGeographic: Record<string, Plan>;
};
const plans = [...Object.values(metadata.countries), ...Object.values(metadata.nonGeographic)];
const callingCodes = [...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic)];

/** What libphonenumber-js makes of `text`, in normalizePhone's terms. */
function reference(text: string) {
  const parsed = parsePhoneNumberFromString(text, { extract: false });
  return parsed?.isValid()
    ? { ok: true, e164: parsed.number, country: parsed.country }
    : { ok: false, problem: "not a valid phone number" };
}

function agrees(text: string): void {
  const expected = reference(text);
  const fast = checkE164(text);
  if (fast) {
    expect(fast.valid, text).toBe(expected.ok);
    if (fast.valid)
      expect({ e164: text, country: fast.country }, text).toEqual({ e164: expected.e164, country: expected.country });
  }
  expect({ ...normalizePhone(text) }, text).toEqual(expected);
}

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));

/** `national` as written, or with one digit inserted, removed or changed. */
const mutated = (national: string) =>
  fc.oneof(
    fc.constant(national),
    fc
      .tuple(fc.nat(national.length), fc.integer({ min: 0, max: 9 }))
      .map(([at, d]) => national.slice(0, at) + d + national.slice(at)),
    fc.nat(Math.max(0, national.length - 1)).map((at) => national.slice(0, at) + national.slice(at + 1)),
    fc
      .tuple(fc.nat(Math.max(0, national.length - 1)), fc.integer({ min: 0, max: 9 }))
      .map(([at, d]) => national.slice(0, at) + d + national.slice(at + 1)),
  );

// Every type pattern of every plan (fixed line, mobile, toll free, …): numbers in the formats operators assign.
const typed = plans.flatMap(([callingCode, , , , ...rest]) => {
  const types = (rest[7] ?? []) as (0 | [string])[];
  return types.flatMap((type) =>
    type && type[0] !== "" ? [{ callingCode, pattern: new RegExp(`^(?:${type[0]})$`) }] : [],
  );
});

describe("the E.164 fast path agrees with libphonenumber-js", () => {
  it("on random digits after every calling code", () => {
    fc.assert(
      fc.property(fc.constantFrom(...callingCodes), digits(0, 18), (code, national) => agrees(`+${code}${national}`)),
      runParameters(),
    );
  });

  it("on numbers of every type of every country, and one digit off", () => {
    const number = fc.constantFrom(...typed).chain(({ callingCode, pattern }) =>
      fc
        .stringMatching(pattern)
        .chain(mutated)
        .map((n) => `+${callingCode}${n}`),
    );
    fc.assert(fc.property(number, agrees), {
      ...runParameters(),
      numRuns: Math.max(2000, runParameters().numRuns ?? 0),
    });
  });

  it("on libphonenumber-js's mobile example of every country, and one digit off", () => {
    const number = fc
      .constantFrom(...Object.entries(examples as Record<string, string>))
      .chain(([country, national]) => mutated(national).map((n) => `+${metadata.countries[country]?.[0]}${n}`));
    fc.assert(fc.property(number, agrees), runParameters());
  });

  it("answers for nearly every valid example itself (so the fast path is the path numbers take)", () => {
    const all = Object.entries(examples as Record<string, string>).map(
      ([c, n]) => `+${metadata.countries[c]?.[0]}${n}`,
    );
    for (const number of all) agrees(number);
    const answered = all.filter((number) => checkE164(number)?.valid);
    expect(answered.length / all.length).toBeGreaterThan(0.95);
  });
});
