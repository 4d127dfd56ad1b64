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
