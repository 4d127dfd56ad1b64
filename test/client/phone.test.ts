// Phone numbers: every way a person's number is written becomes one E.164 number, and anything that is not one
// number valid in its country is refused with the reason.
import { dedupeByPhone, isPhoneCountry, normalizePhone, PhoneRegistry } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { guessMobileCountry } from "../../src/national-number.js";

describe("normalizePhone", () => {
  it("turns the same person written three ways into one E.164 number", () => {
    for (const written of ["+46700000001", "+46 70-000 00 01", "0046700000001", " +46 (0)70 000 00 01 "]) {
      expect(normalizePhone(written), written).toEqual({ ok: true, e164: "+46700000001", country: "SE" });
    }
  });

  it("accepts national numbers only with a default country", () => {
    expect(normalizePhone("070-123 45 67", "SE")).toEqual({ ok: true, e164: "+46701234567", country: "SE" });
    expect(normalizePhone("070-123 45 67")).toEqual({
      ok: false,
      problem:
        'has no country code: give defaultCountry: "SE" (it reads as a mobile number in SE), or write the number with its country code (such as +46…)',
    });
  });

  it("names the country of a national number only when the number says which (a mobile in one country only)", () => {
    expect(guessMobileCountry("070-123 45 67")).toBe("SE"); // valid in SE, FI, NL and IT, a mobile only in SE
    expect(guessMobileCountry("040 123 4567")).toBe("FI");
    expect(guessMobileCountry("912 34 567")).toBeUndefined(); // a mobile in NO and in DK
    expect(guessMobileCountry("08-123 456 78")).toBeUndefined(); // Stockholm's fixed line: no mobile anywhere
  });

  it("says that text with letters or no digits is not a phone number, without the national-number hint", () => {
    for (const written of ["abc", "n/a", "-", "anna@example.se", "+46 abc"]) {
      expect(normalizePhone(written), written).toEqual({
        ok: false,
        problem: "is not a phone number (a phone number is digits, such as +46701234567)",
      });
    }
  });

  it("refuses what is not one phone number", () => {
    for (const written of ["+46 70 123 45 67 89 01", "+46 70 123 45 67 / +46 70 000 00 01"]) {
      expect(normalizePhone(written, "SE"), written).toEqual({ ok: false, problem: "not a valid phone number" });
    }
  });

  it("refuses control characters and extensions, which no SMS can reach", () => {
    expect(normalizePhone("+46700000001\u0000")).toEqual({ ok: false, problem: "must not contain control characters" });
    expect(normalizePhone("+46700000001\n")).toEqual({ ok: false, problem: "must not contain control characters" });
    expect(normalizePhone("+46701234567 ext. 12")).toEqual({
      ok: false,
      problem: "has an extension, which cannot receive an SMS",
    });
  });

  // The reason for the "max" metadata: "min" checks only the length and would accept these unassigned numbers.
  it("validates the digits, not only the length, in every country", () => {
    for (const unassigned of ["+4742193808", "+466187309", "+4584796925", "+492078096774"]) {
      expect(normalizePhone(unassigned).ok, unassigned).toBe(false);
    }
    // A fixed-line number is still a number (the "mobile" metadata would refuse it): IP1 decides what it can text.
    expect(normalizePhone("+46 8 123 456 78")).toMatchObject({ ok: true, e164: "+46812345678" });
  });

  it("knows which countries can be a default", () => {
    expect(isPhoneCountry("SE")).toBe(true);
    expect(isPhoneCountry("se")).toBe(false);
    expect(isPhoneCountry("XX")).toBe(false);
    expect(isPhoneCountry(46)).toBe(false);
  });
});

describe("de-duplication by normalized phone", () => {
  it("keeps the first of each phone and names both positions of every duplicate", () => {
    const users = ["+46700000001", "+46700000002", "+46700000001", "+46700000001"].map((Phone) => ({ Phone }));
    expect(dedupeByPhone(users)).toEqual({
      kept: [{ Phone: "+46700000001" }, { Phone: "+46700000002" }],
      duplicates: [
        { phone: "+46700000001", firstIndex: 0, index: 2 },
        { phone: "+46700000001", firstIndex: 0, index: 3 },
      ],
    });
  });

  it("a registry remembers the first position across calls (chunks, streamed rows)", () => {
    const registry = new PhoneRegistry();
    expect(registry.add("+46700000001", 0)).toBeUndefined();
    expect(registry.add("+46700000002", 1000)).toBeUndefined();
    expect(registry.add("+46700000001", 2500)).toBe(0);
    expect(registry.size).toBe(2);
  });
});
