// Transport faults: a 421 reaches the server once (undici would replay a replayable body by itself), answers over
// maxResponseBytes are abandoned as Ip1ApiError with an unknown outcome, and what fails before any byte can leave
// (a bad port, an invalid timeout) is "not-sent" with nothing at the server.
import { expect, it } from "vitest";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("transport");

it("says the server answered when it abandons an oversized answer", () => {
  for (const name of [
    "200 with an endless body, maxResponseBytes 65536",
    "500 declaring a 1 GB body, maxResponseBytes 65536",
  ]) {
    expect(observed(name).result.error?.message).toMatch(
      /^IP1 answered \d{3}, but with a body over the 65536-byte limit/,
    );
  }
});

it("the one 421 request carried the whole body", () => {
  const [request] = observed("421 Misdirected Request, every time").requests;
  expect(JSON.parse(request?.body ?? "")).toMatchObject({ Users: [{ Phone: "+46701234567" }] });
});

it("names timeoutMs and how to write no timeout", () => {
  expect(observed("timeoutMs 0").result.error?.message).toContain("timeoutMs must be a whole number of milliseconds");
  expect(observed("timeoutMs 0").result.error?.message).toContain("or false for no timeout");
});
