// estimateSegments against known vectors (GSM 03.38 and the 160/153, 70/67 limits, as in Twilio's calculator).
import { estimateSegments } from "ip1-nki";
import { describe, expect, it } from "vitest";

const gsm = (length: number) => "a".repeat(length);
const ucs = (length: number) => "ж".repeat(length);

describe("known lengths", () => {
  it.each([
    ["GSM-7", 1, 1, gsm],
    ["GSM-7", 160, 1, gsm],
    ["GSM-7", 161, 2, gsm],
    ["GSM-7", 306, 2, gsm],
    ["GSM-7", 307, 3, gsm],
    ["GSM-7", 459, 3, gsm],
    ["GSM-7", 460, 4, gsm],
    ["UCS-2", 70, 1, ucs],
    ["UCS-2", 71, 2, ucs],
    ["UCS-2", 134, 2, ucs],
    ["UCS-2", 135, 3, ucs],
  ] as const)("%s: %i characters are %i segment(s)", (encoding, length, segments, text) => {
    expect(estimateSegments(text(length))).toEqual({ encoding, segments, units: length });
  });
});

describe("GSM-7", () => {
  it("counts the whole basic table as one septet each", () => {
    const basic =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    expect(estimateSegments(basic)).toEqual({ encoding: "GSM-7", segments: 1, units: [...basic].length });
  });

  it("counts extension characters as two septets", () => {
    expect(estimateSegments("^{}\\[~]|€\f")).toEqual({ encoding: "GSM-7", segments: 1, units: 20 });
    expect(estimateSegments(`${gsm(158)}€`)).toEqual({ encoding: "GSM-7", segments: 1, units: 160 });
    expect(estimateSegments(`${gsm(159)}€`)).toEqual({ encoding: "GSM-7", segments: 2, units: 161 });
  });

  it("never splits an extension character across parts", () => {
    // 152 septets, then € (2): it does not fit in the first part's 153, so it starts the second.
    const split = `${gsm(152)}€${gsm(151)}`; // 305 septets; packed as 152 | 2 + 151 = 153
    expect(estimateSegments(split)).toEqual({ encoding: "GSM-7", segments: 2, units: 305 });
    const overflow = `${gsm(152)}€${gsm(152)}`; // 306 septets, but the first part holds only 152
    expect(estimateSegments(overflow)).toEqual({ encoding: "GSM-7", segments: 3, units: 306 });
  });

  it("makes an empty message one segment", () => {
    expect(estimateSegments("")).toEqual({ encoding: "GSM-7", segments: 1, units: 0 });
  });
});

describe("UCS-2", () => {
  it("switches to UCS-2 for one character outside GSM 03.38, including `", () => {
    expect(estimateSegments(`${gsm(100)}ç`).encoding).toBe("UCS-2");
    expect(estimateSegments("`").encoding).toBe("UCS-2");
    expect(estimateSegments(`${gsm(100)}ç`).segments).toBe(2);
  });

  it("counts an emoji as two units", () => {
    expect(estimateSegments("😀")).toEqual({ encoding: "UCS-2", segments: 1, units: 2 });
    expect(estimateSegments(`${ucs(68)}😀`)).toEqual({ encoding: "UCS-2", segments: 1, units: 70 });
    expect(estimateSegments(`${ucs(69)}😀`)).toEqual({ encoding: "UCS-2", segments: 2, units: 71 });
  });

  it("never splits an emoji across parts", () => {
    expect(estimateSegments(`${ucs(66)}😀${ucs(65)}`)).toEqual({ encoding: "UCS-2", segments: 2, units: 133 });
    expect(estimateSegments(`${ucs(66)}😀${ucs(66)}`)).toEqual({ encoding: "UCS-2", segments: 3, units: 134 });
  });

  it("switches a Swedish message with GSM letters only when it must", () => {
    expect(estimateSegments("Tack för ditt besök! Hur nöjd är du med oss?").encoding).toBe("GSM-7");
    expect(estimateSegments("Tack för ditt besök 🙂").encoding).toBe("UCS-2");
  });
});
