// A server that echoes the request's Authorization value, in a Message, an HTML page, a header, or a 200's garbage:
// the error still says what the server said, with the credential replaced by "[redacted]". The secret-hygiene test
// (test/secrets) runs these rows too, and searches every rendering and all output for the key.
import { expect, it } from "vitest";
import { familyCases } from "./catalog.js";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("echo");

for (const { name } of familyCases("echo")) {
  it(`${name}: the echo reached the error, redacted`, () => {
    const { result } = observed(name);
    expect(result.renderings.join("\n")).toContain("[redacted]");
    expect(result.renderings.join("\n")).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
  });
}
