// 5xx: IP1 may have texted people before failing, so the client never retries them on its own; Ip1ServerError with
// outcome "unknown", and a message that carries the server's words, or a readable excerpt of an HTML page.
import { expect, it } from "vitest";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("server-errors");

it("puts the server's Message in the error message", () => {
  expect(observed("500 with a JSON Message").result.error?.message).toContain("An error has occurred.");
});

it("turns an HTML error page into a short readable excerpt, without its markup", () => {
  const message = observed("502 with an HTML page").result.error?.message ?? "";
  expect(message).toContain("Bad Gateway");
  expect(message).not.toMatch(/<[a-z!/]/i);
});
