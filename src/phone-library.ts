// libphonenumber-js and its metadata, the one door phone code goes through to reach them: in source, in tests and in
// what any bundler builds (for browsers or for Node), they load with this module. Node itself loads
// dist/phone-library-node.js in its place (package.json "imports", scripts/build.ts), which loads them at first use:
// a cold import of the package then compiles neither their 90 kB of code nor the 168 kB of metadata.
import type { CountryCode, PhoneNumber } from "libphonenumber-js/core";
import { parsePhoneNumberFromString } from "libphonenumber-js/core";
import { metadata, type PhoneMetadata } from "./phone-metadata.js";

export type { PhoneNumber };

/** The "max" metadata, for the fast path (phone-e164.ts) and country checks. */
export function phoneMetadata(): PhoneMetadata {
  return metadata;
}

/** libphonenumber-js's `parsePhoneNumberFromString` with the "max" metadata. */
export function parsePhoneNumber(
  text: string,
  options: { defaultCountry?: CountryCode | undefined; extract: false },
): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, options as { defaultCountry?: CountryCode; extract: false }, metadata);
}
