// Bodies the client cannot use, and a 200 that carries failed messages: the failed recipients are all returned, and
// summarize() names them, so none is hidden inside a success.
import { summarize } from "ip1-nki";
import { expect, it } from "vitest";
import { describeFaultFamily } from "./family.js";

const observed = describeFaultFamily("bodies");

it("returns every record of a 200 with failed Statuses, and summarize() lists the failed ones", () => {
  const messages = observed("200 whose messages carry failed Statuses 42, 51, 52 (and one 22)").result.messages ?? [];
  expect(messages.map((message) => message.Status)).toEqual([22, 42, 51, 52]);
  const summary = summarize(messages as Parameters<typeof summarize>[0]);
  expect(summary.failed.map((message) => message.Status)).toEqual([42, 51, 52]);
  expect(summary.delivered.map((message) => message.Status)).toEqual([22]);
});
