// Authorization header values: well-formed ones (Basic and Bearer, as our spec's security schemes define them) and
// garbled ones, which no reading of RFC 7617 / RFC 6750 accepts.
import fc from "fast-check";

const ascii = (alphabet: string) => fc.constantFrom(...alphabet);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const token = fc.string({ unit: ascii(BASE64URL), minLength: 1, maxLength: 40 });
const base64 = (text: string) => Buffer.from(text).toString("base64");

const account = fc.integer({ min: 1, max: 99_999_999 }).map((id) => `ip1-${id}`);

/** `Basic base64(account:key)` or `Bearer token`. */
export const validAuthorization = fc.oneof(
  fc.tuple(account, token).map(([user, key]) => `Basic ${base64(`${user}:${key}`)}`),
  token.map((value) => `Bearer ${value}`),
);

// Printable ASCII: what a header value can carry without the HTTP client refusing it.
const printable = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 });
const namesAScheme = (value: string) => /^(basic|bearer)(\s|$)/i.test(value.trim());
const notBase64 = fc.string({ unit: ascii("!#$%&()*.<>?@[]^{|}~"), minLength: 1, maxLength: 12 });

/**
 * `undefined` means no Authorization header at all. Deliberately absent: `Basic` of a password containing `:` and a
 * lower-case `bearer`, which the RFCs allow but Prism refuses; they are not garbled, so they prove nothing here.
 */
export const garbledAuthorization: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("", "Basic", "Bearer", "basic", "BASIC"),
  printable.filter((value) => !namesAScheme(value)),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,10}$/), token)
    .filter(([scheme]) => !/^(basic|bearer)$/i.test(scheme))
    .map(([scheme, value]) => `${scheme} ${value}`),
  fc.tuple(account, token).map(([user, key]) => base64(`${user}:${key}`)), // credentials with no scheme
  token.map((value) => `Bearer${value}`), // no separator after the scheme
  fc.string({ unit: ascii(BASE64URL), maxLength: 20 }).map((text) => `Basic ${base64(text)}`), // no `user:` in it
  notBase64.map((text) => `Basic ${text}`),
);
