// How many SMS segments a message needs, per GSM 03.38 and the concatenation limits (see estimateSegments).

// GSM 03.38 basic table (ASCII space to Z, _, a to z, and the letters and symbols after them) and extension table.
// Extension characters are sent as an escape plus one septet, so they count two.
const gsm7 = /^[\n\r -Z_a-z¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ\f^{}\\[~\]|€]*$/;
const gsmExtension = /[\f^{}\\[~\]|€]/;

export interface SegmentEstimate {
  /** GSM-7 when every character is in the GSM 03.38 basic or extension table, else UCS-2. */
  encoding: "GSM-7" | "UCS-2";
  /** SMS parts the message is sent as. */
  segments: number;
  /** Length in the encoding's units: septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2 (an emoji counts 2). */
  units: number;
}

/**
 * Estimates the encoding and segment count of `message` as written (text IP1 adds, if any, is not counted).
 * One segment holds 160 GSM-7 septets or 70 UCS-2 units; a longer message is split into parts of 153 or 67, and a
 * character (an extension character's two septets, an emoji's two units) is never split across parts.
 * An empty message is 1 segment: it still goes out as one (empty) SMS.
 */
export function estimateSegments(message: string): SegmentEstimate {
  const gsm = gsm7.test(message);
  const part = gsm ? 153 : 67;
  let units = 0;
  let segments = 1;
  let fill = 0;
  for (const char of message) {
    const size = gsm ? (gsmExtension.test(char) ? 2 : 1) : char.length;
    units += size;
    if (fill + size > part) {
      segments++;
      fill = 0;
    }
    fill += size;
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", segments: units > (gsm ? 160 : 70) ? segments : 1, units };
}

/** A character of a message and where it occurs: 1-based positions, counted in characters (an emoji is one). */
export interface CharacterPositions {
  character: string;
  positions: number[];
}

/** Why a message costs what {@link estimateSegments} says: the characters that made it dearer. */
export interface SegmentExplanation extends SegmentEstimate {
  /** Characters outside GSM 03.38: any one of them sends the whole message as UCS-2. */
  forcingUcs2: CharacterPositions[];
  /** GSM 03.38 extension characters (`€ { } [ ] ~ \\ ^ |`, form feed): two septets each. */
  extension: CharacterPositions[];
  /** Characters beyond ASCII that are in GSM 03.38's basic table (`ö`, `å`, `é`, …), so they cost nothing extra. */
  gsmBeyondAscii: string[];
  /** The segments the message would need without the characters that force UCS-2 (when there are any). */
  segmentsWithoutUcs2?: number;
}

/**
 * {@link estimateSegments}, and which characters decided it: those that force UCS-2 and those that cost an extension
 * septet, with their positions, and what the message would cost without the former. For a dry run's "why".
 */
export function explainSegments(message: string): SegmentExplanation {
  const estimate = estimateSegments(message);
  const forcingUcs2 = new Map<string, number[]>();
  const extension = new Map<string, number[]>();
  const gsmBeyondAscii = new Set<string>();
  const note = (map: Map<string, number[]>, char: string, at: number) => {
    const known = map.get(char);
    if (known) known.push(at);
    else map.set(char, [at]);
  };
  let position = 0;
  let withoutUcs2 = "";
  for (const char of message) {
    position++;
    if (!gsm7.test(char)) {
      note(forcingUcs2, char, position);
      continue;
    }
    withoutUcs2 += char;
    if (gsmExtension.test(char)) note(extension, char, position);
    else if (char > "\u007f") gsmBeyondAscii.add(char);
  }
  const positions = (map: Map<string, number[]>) => [...map].map(([character, at]) => ({ character, positions: at }));
  return {
    ...estimate,
    forcingUcs2: positions(forcingUcs2),
    extension: positions(extension),
    gsmBeyondAscii: [...gsmBeyondAscii],
    ...(forcingUcs2.size > 0 ? { segmentsWithoutUcs2: estimateSegments(withoutUcs2).segments } : {}),
  };
}
