// Per-recipient outcomes: every record of a 200 is sorted by its Status, and unknown codes are shown, not hidden.
import { type OutgoingSms, statusOutcome, summarize } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { sms } from "./support.js";

describe("statusOutcome", () => {
  it.each([
    [0, "in-transit"],
    [21, "in-transit"],
    [22, "delivered"],
    [42, "failed"],
    [51, "failed"],
    [52, "failed"],
    [1, "unknown"],
    [99, "unknown"],
    [undefined, "unknown"],
  ] as const)("Status %s is %s", (status, outcome) => {
    expect(statusOutcome(status)).toBe(outcome);
  });
});

describe("summarize", () => {
  it("lists every record under its outcome, in order", () => {
    const messages = [
      sms("+1", 0),
      sms("+2", 52),
      sms("+3", 22),
      sms("+4", 21),
      sms("+5", 77),
      sms("+6", 42),
      { From: "Acme", Message: "x", To: "+7" } as OutgoingSms,
      sms("+8", 51),
    ];
    const summary = summarize(messages);
    const to = (list: OutgoingSms[]) => list.map((message) => message.To);
    expect(summary.total).toBe(8);
    expect(to(summary.delivered)).toEqual(["+3"]);
    expect(to(summary.inTransit)).toEqual(["+1", "+4"]);
    expect(to(summary.failed)).toEqual(["+2", "+6", "+8"]);
    expect(to(summary.unknown)).toEqual(["+5", "+7"]);
    expect(summary.failed[0]).toBe(messages[1]);
  });

  it("is not thrown off by the contested and nullable fields: Currency and Encoding as strings, nulls", () => {
    // IP1's C# client types Currency and Encoding as strings, and CountryCode and BundleID may be null (see the spec).
    const odd = (to: string, status: number) =>
      ({
        ...sms(to, status),
        Currency: "SEK",
        Encoding: "UCS",
        CountryCode: null,
        BundleID: null,
      }) as unknown as OutgoingSms;
    const summary = summarize([odd("+1", 22), odd("+2", 51), odd("+3", 0)]);
    expect(summary.total).toBe(3);
    expect(summary.delivered.map((message) => message.To)).toEqual(["+1"]);
    expect(summary.failed.map((message) => message.To)).toEqual(["+2"]);
    expect(summary.inTransit.map((message) => message.To)).toEqual(["+3"]);
  });

  it("gives empty lists for no records", () => {
    expect(summarize([])).toEqual({ total: 0, delivered: [], inTransit: [], failed: [], unknown: [] });
  });
});
