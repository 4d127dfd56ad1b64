// Each recipient's outcome from IP1's answer, matched by normalized phone whatever way IP1 writes To.
import { describe, expect, it } from "vitest";
import { Ip1ServerError, Ip1ValidationError } from "../../src/errors.js";
import { outcomesOfAnswer, outcomesOfError } from "../../src/recipient-outcomes.js";

const record = (To: string, Status: number, ID = 1) => ({ ID, BundleID: 9, Status, To, From: "Acme", Message: "m" });
const sent = [
  { index: 0, phone: "+46701234567" },
  { index: 1, phone: "+46731234568" },
  { index: 2, phone: "+46761234569" },
  { index: 3, phone: "+4915112345678" },
];

describe("outcomesOfAnswer", () => {
  it("matches records by phone however To is written, keeps IP1's IDs, and lists strays", () => {
    const { results, unexpected } = outcomesOfAnswer(sent, [
      record("0046 731 23 45 68", 52, 2),
      record("46701234567", 0, 1),
      record("+49 1511 2345678", 21, 4),
      record("46701234567", 0, 5),
      record("46700000000", 0, 6),
    ]);
    expect(results).toEqual([
      { index: 0, phone: "+46701234567", outcome: "sent", ip1: { id: "1", bundleId: "9", status: 0 } },
      {
        index: 1,
        phone: "+46731234568",
        outcome: "failed",
        ip1: { id: "2", bundleId: "9", status: 52 },
        error: "IP1's Status 52",
      },
      { index: 2, phone: "+46761234569", outcome: "failed", error: "IP1 answered 200 without a record for this phone" },
      { index: 3, phone: "+4915112345678", outcome: "sent", ip1: { id: "4", bundleId: "9", status: 21 } },
    ]);
    expect(unexpected).toEqual(["46701234567", "46700000000"]);
  });
});

describe("outcomesOfError", () => {
  it("is refused when IP1 certainly did not send, unknown otherwise", () => {
    expect(outcomesOfError(sent.slice(0, 1), new Ip1ValidationError([]))[0]?.outcome).toBe("refused");
    const unknown = outcomesOfError(sent.slice(0, 1), new Ip1ServerError(503, { Message: "down" }, new Headers()));
    expect(unknown[0]).toMatchObject({
      outcome: "unknown",
      error: expect.stringMatching(/^Ip1ServerError: IP1 answered 503/),
    });
  });
});
