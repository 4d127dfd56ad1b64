// PhoneCountry is written out (src/phone-country.ts) so the published types need no libphonenumber-js; it must stay
// libphonenumber-js's own CountryCode, which the typecheck of this file proves, and every country must be usable.
import { isPhoneCountry, type PhoneCountry } from "ip1-nki";
import { type CountryCode, getCountries } from "libphonenumber-js/max";
import { expect, expectTypeOf, it } from "vitest";

it("is libphonenumber-js's CountryCode, and each of its countries is accepted as a default country", () => {
  expectTypeOf<PhoneCountry>().toEqualTypeOf<CountryCode>();
  const countries = getCountries();
  expect(countries.length).toBeGreaterThan(200);
  expect(countries.filter((country) => !isPhoneCountry(country))).toEqual([]);
});
