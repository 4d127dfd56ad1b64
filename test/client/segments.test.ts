// estimateSegments against known vectors (GSM 03.38 and the 160/153, 70/67 limits, as in Twilio's calculator).
import fc from "fast-check";
import { estimateSegments, explainSegments } from "ip1-nki";
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

// An independent GSM 03.38 count, written from the standard's tables (3GPP TS 23.038, 6.2.1 and 6.2.1.1), not from
// segments.ts: each character is looked up by its code in the 7-bit default alphabet, or after the escape (0x1B) in
// the extension table; a message with any other character is UCS-2, counted in UTF-16 code units.
const basicTable = [
  "@£$¥èéùìòÇ\nØø\rÅå",
  "Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ",
  " !\"#¤%&'()*+,-./",
  "0123456789:;<=>?",
  "¡ABCDEFGHIJKLMNO",
  "PQRSTUVWXYZÄÖÑÜ§",
  "¿abcdefghijklmno",
  "pqrstuvwxyzäöñüà",
].join("");
const extensionTable = new Map([
  [0x0a, "\f"],
  [0x14, "^"],
  [0x28, "{"],
  [0x29, "}"],
  [0x2f, "\\"],
  [0x3c, "["],
  [0x3d, "~"],
  [0x3e, "]"],
  [0x40, "|"],
  [0x65, "€"],
]);
const extensionCharacters = [...extensionTable.values()];

/** Each character's size in septets, or undefined when the message cannot be GSM-7. */
function septetsOf(message: string): number[] | undefined {
  const sizes: number[] = [];
  for (const char of message) {
    const code = basicTable.indexOf(char);
    if (code >= 0 && code !== 0x1b) sizes.push(1);
    else if (extensionCharacters.includes(char)) sizes.push(2);
    else return undefined;
  }
  return sizes;
}

function referenceCount(message: string) {
  const septets = septetsOf(message);
  const sizes = septets ?? [...message].map((char) => char.length);
  const [single, part] = septets ? [160, 153] : [70, 67];
  const units = sizes.reduce((sum, size) => sum + size, 0);
  let segments = 1;
  if (units > single) {
    let room = part;
    for (const size of sizes) {
      if (size > room) {
        segments++;
        room = part;
      }
      room -= size;
    }
  }
  return { encoding: septets ? "GSM-7" : "UCS-2", segments, units };
}

describe("agrees with an independent GSM 03.38 count", () => {
  const basic = [...basicTable].filter((char) => char !== "\u001b");
  const gsmPiece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...basic) },
    { weight: 2, arbitrary: fc.constantFrom(...extensionCharacters) },
    { weight: 2, arbitrary: fc.constantFrom("\n", "\r\n") },
  );
  const ucsPiece = fc.constantFrom("😀", "ж", "ç", "`", "🙂", "\u00a0", "–");
  // Messages sized around every boundary (one segment's 160/70, the parts' multiples of 153/67, either side), counted
  // in the encoding's units: pieces are taken while they fit the target, so a two-septet or two-unit piece often lands
  // on the boundary itself.
  const nearBoundary = (limits: number[]) =>
    fc.tuple(fc.constantFrom(...limits), fc.integer({ min: -3, max: 3 })).map(([limit, offset]) => limit + offset);
  const upTo = (target: number, pieces: string[], size: (piece: string) => number) => {
    let message = "";
    let units = 0;
    for (const piece of pieces) {
      if (units + size(piece) > target) break;
      message += piece;
      units += size(piece);
    }
    return message;
  };
  const septets = (piece: string) =>
    [...piece].reduce((sum, char) => sum + (extensionCharacters.includes(char) ? 2 : 1), 0);
  const gsmMessage = nearBoundary([160, 306, 459, 612]).chain((target) =>
    fc.array(gsmPiece, { minLength: target, maxLength: target }).map((pieces) => upTo(target, pieces, septets)),
  );
  const ucsMessage = nearBoundary([70, 134, 201, 268]).chain((target) =>
    fc
      .tuple(ucsPiece, fc.array(fc.oneof(gsmPiece, ucsPiece), { minLength: target, maxLength: target }))
      .map(([forced, pieces]) => upTo(target, [forced, ...pieces], (piece) => piece.length)),
  );

  it("the generated messages sit on every boundary, exactly and either side", () => {
    const sizes = new Set(
      fc.sample(gsmMessage, { numRuns: 2000, seed: 21 }).map((message) => referenceCount(message).units),
    );
    for (const boundary of [160, 161, 306, 307, 459, 460]) expect(sizes).toContain(boundary);
  });

  it("GSM-7 messages with line breaks and extension characters, at 160 and every 153", () => {
    fc.assert(
      fc.property(gsmMessage, (message) => {
        expect(estimateSegments(message)).toEqual(referenceCount(message));
      }),
      { numRuns: 500, seed: 21 },
    );
  });

  it("UCS-2 messages with surrogate pairs, at 70 and every 67 (a pair is never split)", () => {
    fc.assert(
      fc.property(ucsMessage, (message) => {
        expect(estimateSegments(message)).toEqual(referenceCount(message));
      }),
      { numRuns: 500, seed: 21 },
    );
  });

  it("counts a line break as one septet and CRLF as two", () => {
    expect(estimateSegments("Hej Anna,\nhur nöjd var du?\r\nSvara 1–5.").encoding).toBe("UCS-2"); // the – dash
    expect(estimateSegments("Hej Anna,\nhur nöjd var du?\r\nSvara 1-5.")).toEqual({
      encoding: "GSM-7",
      segments: 1,
      units: 38,
    });
    expect(estimateSegments(`${gsm(158)}\r\n`)).toEqual({ encoding: "GSM-7", segments: 1, units: 160 });
    expect(estimateSegments(`${gsm(159)}\r\n`)).toEqual({ encoding: "GSM-7", segments: 2, units: 161 });
  });
});

describe("explainSegments", () => {
  it("names the characters that force UCS-2 and those that cost an extension septet, with positions", () => {
    const message = `Pris 5€, {kod}.\nTack 😀 och 😀 ж`;
    expect(explainSegments(message)).toEqual({
      ...estimateSegments(message),
      forcingUcs2: [
        { character: "😀", positions: [22, 28] },
        { character: "ж", positions: [30] },
      ],
      extension: [
        { character: "€", positions: [7] },
        { character: "{", positions: [10] },
        { character: "}", positions: [14] },
      ],
      gsmBeyondAscii: [],
      segmentsWithoutUcs2: 1,
    });
  });

  it("says what the message would cost without the characters that force UCS-2", () => {
    const message = `${"å".repeat(100)}😀`;
    expect(explainSegments(message)).toMatchObject({ encoding: "UCS-2", segments: 2, segmentsWithoutUcs2: 1 });
    expect(explainSegments("Hej då")).toEqual({
      ...estimateSegments("Hej då"),
      forcingUcs2: [],
      extension: [],
      gsmBeyondAscii: ["å"],
    });
  });
});
