// The fast path for a number already written in E.164 (`+46701234567`): the answer libphonenumber-js gives, from the
// same "max" metadata it reads (loaded on the first number: phone-library.ts), without the RegExp it builds for every check (about 5 µs a number). Patterns
// are compiled once per country, on its first number. It follows libphonenumber-js 1.13's own steps for a "+" number
// (source/parse.js parsePhoneNumber, helpers/getCountryByCallingCode.js, isValid.js, helpers/getNumberType.js), and
// answers `undefined` ("ask libphonenumber-js") whenever a step would leave that simple path: a national prefix that
// could be stripped (`+44 07400 …`), or a length outside what it parses. test/property/phone-e164.test.ts proves the
// two agree, number by number, for every calling code.

import type { PhoneCountry as CountryCode } from "./phone-country.js";
import { phoneMetadata } from "./phone-library.js";
import type { PhoneMetadata, PlanJson } from "./phone-metadata.js";

/** What the fast path found for an E.164 text; `undefined` when only libphonenumber-js can say. */
export type E164Verdict = { valid: true; country: CountryCode | undefined } | { valid: false };

interface Plan {
  nationalNumber: RegExp;
  /** The national prefix (for parsing) at the start: libphonenumber-js may strip it, so the fast path defers. */
  nationalPrefix: RegExp | undefined;
  leadingDigits: RegExp | undefined;
  /** Each type's pattern and lengths; `undefined` when the plan has no types (then the national pattern decides). */
  types: { pattern: RegExp; lengths: readonly number[] }[] | undefined;
}

const plans = new Map<string, Plan>();

function planOf(key: string, json: PlanJson): Plan {
  let plan = plans.get(key);
  if (plan) return plan;
  const [, , nationalNumber, lengths, , nationalPrefix, , prefixForParsing, , , leadingDigits, types] = json;
  // Anchored as libphonenumber-js anchors them: matchesEntirely's ^(?:…)$, and a prefix or leading digits at the start.
  const prefix = prefixForParsing || nationalPrefix;
  plan = {
    nationalNumber: new RegExp(`^(?:${nationalNumber})$`),
    nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    leadingDigits: leadingDigits ? new RegExp(`^(?:${leadingDigits})`) : undefined,
    types: types?.length
      ? types.flatMap((type) =>
          type && type[0] !== "" ? [{ pattern: new RegExp(`^(?:${type[0]})$`), lengths: type[1] || lengths }] : [],
        )
      : undefined,
  };
  plans.set(key, plan);
  return plan;
}

/** Whether any type of `plan` matches: libphonenumber-js's getNumberType(…) !== undefined. */
function hasType(plan: Plan, national: string): boolean {
  if (!plan.nationalNumber.test(national)) return false;
  return plan.types?.some((type) => type.lengths.includes(national.length) && type.pattern.test(national)) ?? false;
}

const e164Text = /^\+[1-9]\d{2,19}$/;

/**
 * libphonenumber-js's verdict on `text` (`parsePhoneNumberFromString(text, { extract: false })` with max metadata:
 * valid or not, and the country), or `undefined` when `text` is not plain `+` and digits or the fast path is unsure.
 * When valid, the E.164 form is `text` itself.
 */
export function checkE164(text: string): E164Verdict | undefined {
  if (!e164Text.test(text)) return undefined;
  const metadata = phoneMetadata();
  // Calling codes are prefix-free, so the first of 1 to 3 digits that is one is the one (extractCountryCallingCode).
  for (let length = 1; length <= 3; length++) {
    const callingCode = text.slice(1, 1 + length);
    const countries = metadata.country_calling_codes[callingCode];
    const nonGeographic = metadata.nonGeographic[callingCode];
    if (!countries && !nonGeographic) continue;
    const national = text.slice(1 + length);
    if (national.length < 2 || national.length > 17) return undefined;
    const main = countries?.[0] as CountryCode | undefined;
    const mainPlan = main
      ? planOf(main, metadata.countries[main] as PlanJson)
      : planOf(callingCode, nonGeographic as PlanJson);
    if (mainPlan.nationalPrefix?.test(national)) return undefined;
    const country = countryOf(metadata, countries, national);
    const plan = country ? planOf(country, metadata.countries[country] as PlanJson) : mainPlan;
    const valid = plan.types ? hasType(plan, national) : plan.nationalNumber.test(national);
    return valid ? { valid, country } : { valid };
  }
  return { valid: false };
}

/** getCountryByCallingCode: the one country, else the first whose leading digits or number types match. */
function countryOf(
  metadata: PhoneMetadata,
  countries: string[] | undefined,
  national: string,
): CountryCode | undefined {
  if (!countries) return undefined;
  if (countries.length === 1) return countries[0] as CountryCode;
  for (const country of countries) {
    const plan = planOf(country, metadata.countries[country] as PlanJson);
    if (plan.leadingDigits ? plan.leadingDigits.test(national) : hasType(plan, national)) return country as CountryCode;
  }
  return undefined;
}
