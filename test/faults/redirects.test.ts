// Redirects to another origin (another port, or another loopback address): the Authorization header must never
// reach the other host, and neither host may see the request more than once.
import { expect, it } from "vitest";
import { familyCases } from "./catalog.js";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("redirects");

for (const entry of familyCases("redirects")) {
  it(`${entry.name}: no Authorization reaches the other host; each host sees the request at most once`, () => {
    const { requests, otherRequests } = observed(entry.name);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(otherRequests.length).toBeLessThanOrEqual(1);
    expect(otherRequests.map((request) => request.headers.authorization)).toEqual(otherRequests.map(() => undefined));
  });
}
