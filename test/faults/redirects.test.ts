// Redirects to another origin (another port, or another loopback address): the client refuses them with
// Ip1RedirectError (outcome "unknown": a redirect does not prove nothing was processed), so neither the Authorization header nor the recipients reach the other host.
import { expect, it } from "vitest";
import { familyCases } from "./catalog.js";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("redirects");

for (const entry of familyCases("redirects")) {
  it(`${entry.name}: nothing reaches the other host`, () => {
    const { requests, otherRequests } = observed(entry.name);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(otherRequests).toEqual([]);
  });
}
