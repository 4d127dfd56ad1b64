// dist/ ships libphonenumber-js's max metadata without its national formats (scripts/build.ts, shippedPhoneMetadata).
// Parsing and validation must not notice: every country's numbers, written nationally, internationally and with the
// international prefix, and random digits under every default country, parse to the same number, validity, country,
// type and extension with the shipped metadata as with the whole.
import { createRequire } from "node:module";
import fc from "fast-check";
import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from "libphonenumber-js/core";
import examples from "libphonenumber-js/examples.mobile.json";
import full from "libphonenumber-js/max/metadata";
import { describe, expect, it } from "vitest";
import { shippedPhoneMetadata } from "../../scripts/build.js";
import { runParameters } from "./run-parameters.js";

const shipped = shippedPhoneMetadata(
  createRequire(import.meta.url).resolve("libphonenumber-js/max/metadata"),
) as MetadataJson;
type Plan = [string, string, ...unknown[]];
const plans = (full as unknown as { countries: Record<string, Plan> }).countries;
const countries = Object.keys(plans) as CountryCode[];

/** What libphonenumber-js makes of `text` with `metadata`, in every respect src/ reads. */
function parsed(text: string, defaultCountry: CountryCode | undefined, metadata: MetadataJson) {
  const number = parsePhoneNumberFromString(text, { defaultCountry, extract: false }, metadata);
  return (
    number && {
      valid: number.isValid(),
      e164: number.number,
      type: number.getType(),
      country: number.country,
      ext: number.ext,
    }
  );
}

function agrees(text: string, defaultCountry?: CountryCode): void {
  expect(parsed(text, defaultCountry, shipped), `${defaultCountry ?? ""} ${text}`).toEqual(
    parsed(text, defaultCountry, full),
  );
}

/** A national number as people write it: as is, after the national prefix, after "+code ", after "00code". */
function writings(country: CountryCode, national: string): string[] {
  const [code, , , , , prefix] = plans[country] as [string, string, unknown, unknown, unknown, string?];
  return [
    national,
    `${prefix ?? ""}${national}`,
    `+${code} ${national}`,
    `00${code}${national}`,
    `+${code}${national}x12`,
  ];
}

describe("the metadata dist/ ships parses as libphonenumber-js's whole max metadata", () => {
  it("leaves out the formats, and only them", () => {
    expect(JSON.stringify(shipped).length).toBeLessThan(JSON.stringify(full).length * 0.85);
    const plan = (shipped as unknown as { countries: Record<string, unknown[]> }).countries.SE ?? [];
    expect(plan[4]).toEqual([]);
    expect({ ...plan, 4: undefined }).toEqual({ ...plans.SE, 4: undefined });
  });

  it("on every country's mobile example, written every way, under its own and no default country", () => {
    let valid = 0;
    for (const [country, national] of Object.entries(examples as Record<string, string>) as [CountryCode, string][]) {
      for (const text of writings(country, national)) {
        agrees(text, country);
        agrees(text);
      }
      if (parsed(national, country, shipped)?.valid) valid++;
    }
    // The examples are valid numbers: the comparison ran on real numbers, not only on rejections.
    expect(valid).toBeGreaterThan(200);
  });

  it("on numbers of every type of every country, written every way, and random digits", () => {
    const typed = countries.flatMap((country) =>
      ((plans[country]?.[11] ?? []) as (0 | [string])[]).flatMap((type) =>
        type && type[0] !== "" ? [{ country, pattern: new RegExp(`^(?:${type[0]})$`) }] : [],
      ),
    );
    const number = fc.oneof(
      fc.constantFrom(...typed).chain(({ country, pattern }) =>
        fc.tuple(
          fc.constant(country),
          fc.stringMatching(pattern).chain((national) => fc.constantFrom(...writings(country, national))),
        ),
      ),
      fc.tuple(
        fc.constantFrom(...countries),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 17 }).map((d) => `+${d.join("")}`),
      ),
    );
    fc.assert(
      fc.property(number, fc.boolean(), ([country, text], withCountry) =>
        agrees(text, withCountry ? country : undefined),
      ),
      runParameters(),
    );
  });
});
