// Input no one should send: refused as Ip1ValidationError (or Ip1ConfigurationError for credentials and the base
// URL) by path, with nothing at the server; a phone as written goes out in E.164, and "keep-first" sends one text per
// person.
import { expect, it } from "vitest";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("input");

it.each([
  ["empty Users", "Users: must not be empty"],
  ['Message "   "', "Message: must not be empty or only whitespace"],
  ["a 40-character From", "From: must be up to 11 printable ASCII characters, or up to 15 digits"],
  ["nki 0", "nki: must be 1 or more"],
  ['phone "=1+1"', 'Users[0].Phone: holds "=", which no phone number does'],
  ["phone with a NUL byte", "Users[0].Phone: must not contain control characters"],
  ["a 10 MB Extra cell", "over the 1048576-byte limit (maxRequestBytes)"],
  ["the same phone twice", "Users[1].Phone: is the same phone number as Users[0].Phone"],
])("%s: the error names the path and the problem", (name, text) => {
  expect(observed(name).result.error?.message).toContain(text);
});

it("sends a phone as written in E.164, and one recipient for one person written three ways (keep-first)", () => {
  const phonesSent = (name: string) =>
    observed(name).requests.map((request) =>
      JSON.parse(request.body ?? "").Users.map((u: { Phone: string }) => u.Phone),
    );
  expect(phonesSent('"+46 70-000 00 01" as written: sent once, as +46700000001')).toEqual([["+46700000001"]]);
  expect(phonesSent('the same phone three ways with duplicatePhones "keep-first": one request, one recipient')).toEqual(
    [["+46700000001"]],
  );
});

it("names the option, never the value, for a token with a newline and a base URL with user info", () => {
  expect(observed("a token with a newline").result.error?.message).toMatch(/^token cannot be sent in a header/);
  expect(observed("a base URL with user:key@").result.error?.message).toMatch(
    /^The base URL must not contain user info/,
  );
});
