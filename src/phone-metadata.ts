// libphonenumber-js's "max" metadata (see phone.ts for why "max"), on its own so that the E.164 fast path
// (phone-e164.ts) can load it without libphonenumber-js's code. Its own entry in dist/ (scripts/build.ts).
import metadataJson from "libphonenumber-js/max/metadata";

/** A numbering plan in metadata version 4 (libphonenumber-js source/metadata.js, class NumberingPlan). */
export type PlanJson = [
  /** The calling code. */
  string,
  unknown,
  /** The national number pattern. */
  string,
  /** The possible lengths. */
  number[],
  /** The national formats: empty in dist/, which leaves them out (scripts/build.ts, shippedPhoneMetadata). */
  unknown,
  /** The national prefix. */
  string?,
  unknown?,
  /** The national prefix for parsing. */
  string?,
  unknown?,
  unknown?,
  /** The leading digits. */
  string?,
  /** The types (fixed line, mobile, toll free, …), each [pattern, possible lengths?]. */
  (0 | [string, number[]?])[]?,
];

/** The metadata as libphonenumber-js's functions take it, and the parts the fast path reads. */
export type PhoneMetadata = typeof metadataJson & {
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, PlanJson>;
  nonGeographic: Record<string, PlanJson>;
};

export const metadata = metadataJson as PhoneMetadata;
