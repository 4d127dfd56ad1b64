// SentRows: what the first pass keeps for the send, past its first allocation (1,024 phones, 8,192 keys, 64 chunks).
import { describe, expect, it } from "vitest";
import { SentRows } from "../../src/cli/sent-rows.js";
import { phoneOf } from "./support.js";

describe("the rows a send keeps", () => {
  it("knows each sent row, its phone, whether a phone is sent, and each chunk's digest", () => {
    const sent = new SentRows();
    // Every third line from line 2, phones in an order that is not sorted.
    for (let i = 0; i < 5000; i++) sent.add(2 + 3 * i, phoneOf((i * 7919) % 5000));
    expect(sent.count).toBe(5000);
    expect([2, 5, 14_999].map((key) => sent.has(key))).toEqual([true, true, true]);
    expect([0, 1, 3, 4, 15_000, 1_000_000].map((key) => sent.has(key))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(sent.phone(0)).toBe(phoneOf(0));
    expect(sent.phone(1)).toBe(phoneOf(2919));
    expect(sent.includes(phoneOf(4999))).toBe(true);
    expect(sent.includes(phoneOf(5000))).toBe(false);
    expect(sent.includes("070-000 00 01")).toBe(false);
    sent.add(20_000, phoneOf(6000)); // after a lookup: the next one sees it
    expect(sent.includes(phoneOf(6000))).toBe(true);

    const digest = (i: number) => i.toString(16).padStart(64, "0");
    for (let i = 0; i < 100; i++) sent.endChunk(digest(i));
    expect(sent.sameChunk(99, digest(99))).toBe(true);
    expect(sent.sameChunk(99, digest(98))).toBe(false);
    expect(sent.sameChunk(100, digest(100))).toBe(false);
  });

  it("refuses a phone that is not normalized, so that no send goes to a number it cannot keep exactly", () => {
    expect(() => new SentRows().add(2, "0701234567")).toThrow(/not a normalized phone/);
    expect(() => new SentRows().add(2, "+4670123456789012")).toThrow(/not a normalized phone/);
  });
});
