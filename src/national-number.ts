// What to tell a caller whose phone number is not one: a number written without its country code gets the option that
// fixes it, with the country named when the number itself says which; text that is no number at all is told so.
// The messages name the library's option (defaultCountry); the CLI maps it to its flag (see cli/recipients.ts).
import type { PhoneCountry } from "./phone-country.js";
import { parsePhoneNumber } from "./phone-library.js";

// The countries a guess is made among: the Nordic and Baltic countries, their neighbours and the larger EU markets
// (IP1 is a Swedish provider billing in SEK or EUR: the seed's Currency enum, 752 and 978), and the US. A national
// number is valid in several of them more often than not (070-123 45 67 is valid in SE, FI, NL and IT), but an SMS
// goes to a mobile, and as a mobile it usually reads in one country only: that one is named, never a coin toss.
const guessedAmong: readonly PhoneCountry[] = [
  "SE",
  "NO",
  "DK",
  "FI",
  "IS",
  "EE",
  "LV",
  "LT",
  "DE",
  "PL",
  "NL",
  "BE",
  "FR",
  "GB",
  "IE",
  "ES",
  "IT",
  "AT",
  "CH",
  "US",
];

/** The one country among the usual ones where `national` is a mobile number, or undefined if none or several. */
export function guessMobileCountry(national: string): PhoneCountry | undefined {
  // Twenty parses cost about 0.2 ms, and a file of a million national numbers would spend minutes on them; which
  // countries read a number as a mobile is decided by its length and leading digits, so the answer is kept per
  // length and first six digits (a bounded map that starts over when full).
  const digits = national.replace(/\D/g, "");
  const key = `${digits.length}:${digits.slice(0, 6)}`;
  if (guessed.has(key)) return guessed.get(key);
  if (guessed.size >= guessLimit) guessed.clear();
  let found: PhoneCountry | undefined;
  for (const country of guessedAmong) {
    const type = parsePhoneNumber(national, { defaultCountry: country, extract: false })?.getType();
    if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") continue;
    if (found) {
      found = undefined;
      break;
    }
    found = country;
  }
  guessed.set(key, found);
  return found;
}

const guessLimit = 4096;
const guessed = new Map<string, PhoneCountry | undefined>();

// Letters, or no digit at all: `abc`, `n/a`, `-`, an email address pasted into the phone column.
const notANumber = /\p{L}|^[^\d]*$/u;
// What people write between digits: spaces, `+`, `-`, `(`, `)`, `.`, `/`. Anything else (`=` of a formula, the `'`
// Excel puts before text) is named, since the user cannot see it in the cell.
const strayCharacter = /[^\d\s+\-()./]/u;

/**
 * Why `written` (trimmed, `00` already read as `+`) is not a valid phone number: without `defaultCountry`, a national
 * number gets the option that fixes it.
 */
export function invalidPhoneProblem(written: string, defaultCountry: PhoneCountry | undefined): string {
  if (notANumber.test(written)) return "is not a phone number (a phone number is digits, such as +46701234567)";
  const stray = strayCharacter.exec(written)?.[0];
  if (stray) return `holds "${stray}", which no phone number does`;
  if (written.startsWith("+") || defaultCountry) return "not a valid phone number";
  const country = guessMobileCountry(written);
  const fix = country
    ? `give defaultCountry: "${country}" (it reads as a mobile number in ${country})`
    : `give its country as defaultCountry (for example defaultCountry: "SE")`;
  return `has no country code: ${fix}, or write the number with its country code (such as +46…)`;
}
