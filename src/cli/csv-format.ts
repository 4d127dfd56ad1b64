// How a spreadsheet was saved: its encoding and its delimiter, found from the file itself, because Excel and LibreOffice
// write CSV in several ways (Swedish Excel: `;`, "CSV UTF-8" with a BOM or plain "CSV" in Windows-1252; "Unicode text"
// as UTF-16 with a BOM and tabs; a `sep=;` first line to name the delimiter).
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import { StringDecoder } from "node:string_decoder";

/** The encodings a CSV is read in; each is decoded exactly (iconv-lite; Node's TextDecoder maps 0x80 to U+0080). */
export type CsvEncoding = "UTF-8" | "UTF-8 with BOM" | "UTF-16LE with BOM" | "UTF-16BE with BOM" | "Windows-1252";
export type CsvDelimiter = "," | ";" | "\t";

export interface CsvFormat {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Whether the first line is Excel's `sep=;`, which names the delimiter and is not the header. */
  sepLine: boolean;
}

const iconvName: Record<Exclude<CsvEncoding, "UTF-8" | "UTF-8 with BOM">, string> = {
  "UTF-16LE with BOM": "utf16le",
  "UTF-16BE with BOM": "utf16be",
  "Windows-1252": "windows1252",
};

type Decoder = { write(bytes: Buffer): string; end(): string | undefined };

/** A streaming decoder for `encoding` (the BOM, if any, is dropped). */
export function decoderFor(encoding: CsvEncoding): Decoder {
  if (encoding === "UTF-8" || encoding === "UTF-8 with BOM") return utf8Decoder();
  // Loaded only for these: iconv-lite builds its tables of every encoding at first use, about 20 ms of CPU that a
  // send of a UTF-8 file (most of them) would pay at every start.
  const iconv = createRequire(import.meta.url)("iconv-lite") as typeof import("iconv-lite");
  return iconv.getDecoder(iconvName[encoding]);
}

/** Node's own UTF-8 decoder (the file was checked to be valid UTF-8 first), dropping a BOM as iconv-lite does. */
function utf8Decoder(): Decoder {
  const decoder = new StringDecoder("utf8");
  let atStart = true;
  const withoutBom = (text: string) => {
    if (!atStart || text === "") return text;
    atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  return { write: (bytes) => withoutBom(decoder.write(bytes)), end: () => withoutBom(decoder.end()) };
}

/** `Windows-1252, ";"`: how the file was read, for the user. */
export function describeFormat(format: CsvFormat): string {
  const delimiter = format.delimiter === "\t" ? "tab" : `"${format.delimiter}"`;
  return `${format.encoding}, ${delimiter}-separated${format.sepLine ? " (sep= line)" : ""}`;
}

/** A file whose bytes are not text in any encoding read here: names the line of the first bad byte. */
export class CsvEncodingError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Finds how `file` was saved. The encoding: a BOM says it (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-8 if every
 * byte of the file is valid UTF-8 (read through once, in blocks), else Windows-1252 (Excel's plain "CSV" in western
 * Europe). The delimiter: Excel's `sep=X` first line, else whichever of `;`, tab and `,` the header line holds most of
 * (outside quotes), `,` when none.
 */
export async function detectCsvFormat(file: string): Promise<CsvFormat> {
  const head = await readHead(file, 64 * 1024);
  let encoding: CsvEncoding;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    encoding = "UTF-8 with BOM";
    await assertUtf8(file, 3);
  } else if (head[0] === 0xff && head[1] === 0xfe) encoding = "UTF-16LE with BOM";
  else if (head[0] === 0xfe && head[1] === 0xff) encoding = "UTF-16BE with BOM";
  else encoding = (await firstInvalidUtf8Line(file, 0)) === undefined ? "UTF-8" : "Windows-1252";
  const decoder = decoderFor(encoding);
  const text = decoder.write(head);
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? "";
  const sep = /^"?sep=(.)"?,*$/i.exec(firstLine)?.[1];
  if (sep === "," || sep === ";" || sep === "\t") return { encoding, delimiter: sep, sepLine: true };
  return { encoding, delimiter: delimiterOf(firstLine), sepLine: false };
}

function delimiterOf(header: string): CsvDelimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char]++;
  }
  const best = (Object.entries(counts) as [CsvDelimiter, number][]).sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 0 ? best[0] : ",";
}

async function readHead(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function assertUtf8(file: string, start: number): Promise<void> {
  const line = await firstInvalidUtf8Line(file, start);
  if (line !== undefined) {
    throw new CsvEncodingError(line, "the file starts with a UTF-8 BOM but is not UTF-8 text after it");
  }
}

/** How much of a file is read at once to check its encoding. */
const BLOCK = 256 * 1024;

/**
 * The line (1-based) of the first byte sequence that is not UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or undefined if the whole file is UTF-8. A sequence cut at the file's end is invalid too.
 */
async function firstInvalidUtf8Line(file: string, start: number): Promise<number | undefined> {
  return (await isUtf8File(file, start)) ? undefined : lineOfInvalidUtf8(file, start);
}

/** Node's own validator (the same rules), block by block, a sequence cut by a block's end carried into the next. */
async function isUtf8File(file: string, start: number): Promise<boolean> {
  let carried = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { start, highWaterMark: BLOCK }) as AsyncIterable<Buffer>) {
    const block = carried.length ? Buffer.concat([carried, chunk]) : chunk;
    const cut = block.length - unfinishedTail(block);
    if (!isUtf8(block.subarray(0, cut))) return false;
    carried = Buffer.from(block.subarray(cut));
  }
  return carried.length === 0;
}

/** How many bytes at the end of `block` start a sequence the next block may finish: 0 to 3. */
function unfinishedTail(block: Buffer): number {
  for (let back = 1; back <= Math.min(3, block.length); back++) {
    const byte = block[block.length - back] as number;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) > back ? back : 0;
  }
  return 0;
}

/** Where firstInvalidUtf8Line's file is not UTF-8, byte by byte (rare: Windows-1252 files, damaged ones). */
async function lineOfInvalidUtf8(file: string, start: number): Promise<number | undefined> {
  let line = 1;
  let need = 0; // continuation bytes still expected
  let low = 0x80; // the allowed range of the next continuation byte
  let high = 0xbf;
  for await (const chunk of createReadStream(file, { start, highWaterMark: BLOCK }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (need > 0) {
        if (byte < low || byte > high) return line;
        need--;
        low = 0x80;
        high = 0xbf;
        continue;
      }
      if (byte < 0x80) {
        if (byte === 0x0a) line++;
        continue;
      }
      if (byte >= 0xc2 && byte <= 0xdf) need = 1;
      else if (byte >= 0xe0 && byte <= 0xef) {
        need = 2;
        if (byte === 0xe0) low = 0xa0;
        if (byte === 0xed) high = 0x9f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        need = 3;
        if (byte === 0xf0) low = 0x90;
        if (byte === 0xf4) high = 0x8f;
      } else return line;
    }
  }
  return need > 0 ? line : undefined;
}
