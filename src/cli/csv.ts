// Streams a recipients CSV (header row; quoted fields; delimiters and newlines in quotes; `,`, `;` or tab; UTF-8 with
// or without BOM, UTF-16 with BOM, or Windows-1252, see csv-format.ts; LF or CRLF) into rows that carry the physical
// line they start on, and hashes the file's bytes on the way.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { CliError } from "./cli-error.js";
import { CsvEncodingError, type CsvFormat, decoderFor, detectCsvFormat } from "./csv-format.js";
import { CsvRecordReader, CsvSyntaxError } from "./csv-records.js";
import { recipientFields } from "./recipient-fields.js";

/** A column is a recipient field of the bundled spec (see recipient-fields.ts), by its exact name. */
export type CsvColumn = string;

/** How headers are read: `--column Phone=Telefon` maps the header `Telefon` (any case, spaces around) to Phone. */
export interface CsvReadOptions {
  /** Header (trimmed, lower case) → recipient field, from `--column`. */
  columns?: ReadonlyMap<string, CsvColumn>;
}

export interface CsvRow {
  /** Physical line the row starts on; the header is line 1. */
  line: number;
  /** The row's non-empty cells, by column (an empty cell is left out, as if the column were absent). */
  fields: Record<CsvColumn, string>;
  /** Set when the row cannot be read as a recipient (a wrong number of fields). */
  problem?: string;
}

export interface CsvDigest {
  /** SHA-256 of the file's bytes: a resumed run checks it is reading the same file. */
  sha256: string;
  rows: number;
  /** The encoding and delimiter the file was read with. */
  format: CsvFormat;
}

/**
 * Reads `file` row by row, calling `onRow` for each; memory stays flat whatever the file's size.
 * Errors name the file as `path` (what the user typed), with the line. Before each block of the file is parsed,
 * `pause` may return a promise to wait for (a consumer that is busy with the rows so far).
 */
export async function readUsersCsv(
  file: string,
  onRow: (row: CsvRow) => void,
  path = file,
  pause?: () => Promise<void> | undefined,
  options: CsvReadOptions = {},
): Promise<CsvDigest> {
  const hash = createHash("sha256");
  let format: CsvFormat;
  try {
    format = await detectCsvFormat(file);
  } catch (error) {
    throw asCliError(error, path, new LineCounter(0));
  }
  // Excel's `sep=;` line is line 1; the header is then line 2.
  const lines = new LineCounter(format.sepLine ? 1 : 0);
  let header: CsvColumn[] | undefined;
  let rows = 0;
  // Records come synchronously and in order, so a syntax error further on never overtakes the rows before it. A row
  // of the wrong length is that row's problem (skippable), not the file's (see toRow).
  const reader = new CsvRecordReader(format.delimiter, (record) => {
    const line = lines.next(record, reader.emptyLines);
    if (header === undefined) header = readHeader(record, path, lines.lastStart, options.columns);
    else {
      rows++;
      onRow(toRow(record, header, line));
    }
  });
  const decoder = decoderFor(format.encoding);
  const withoutSepLine = sepLineDropper(format.sepLine);
  try {
    for await (const block of createReadStream(file) as AsyncIterable<Buffer>) {
      const wait = pause?.();
      if (wait) await wait;
      hash.update(block);
      reader.write(withoutSepLine(decoder.write(block)));
    }
    reader.write(withoutSepLine(decoder.end() ?? ""));
    reader.end();
  } catch (error) {
    throw asCliError(error, path, lines);
  }
  if (header === undefined) {
    const columns = recipientFields().map((field) => field.name);
    throw new CliError(
      `${path}: the file is empty; it needs a header row (${columns.join(",")}) and a row per recipient.`,
    );
  }
  return { sha256: hash.digest("hex"), rows, format };
}

/**
 * Lines are counted from the records: a record starts after the previous one and the blank lines skipped since, and
 * spans the line breaks in its cells (a CRLF is one).
 */
class LineCounter {
  private lastEmpty = 0;
  /** The line the last record started on. */
  lastStart = 0;

  /** `lastEnd`: the lines before the CSV proper (1 for Excel's `sep=` line, else 0). */
  constructor(private lastEnd: number) {}

  next(record: readonly string[], emptyLines: number): number {
    const start = this.nextStart(emptyLines);
    this.lastStart = start;
    this.lastEnd = start + record.reduce((breaks, cell) => breaks + lineBreaks(cell), 0);
    this.lastEmpty = emptyLines;
    return start;
  }

  nextStart(emptyLines: number): number {
    return this.lastEnd + 1 + (emptyLines - this.lastEmpty);
  }
}

/**
 * Drops Excel's `sep=` line (when `present`) from the start of the text: it is not a record, and its delimiter may not
 * be the file's.
 */
function sepLineDropper(present: boolean): (text: string) => string {
  let dropping = present;
  return (text) => {
    if (!dropping) return text;
    const end = text.indexOf("\n");
    if (end < 0) return "";
    dropping = false;
    return text.slice(end + 1);
  };
}

/** Header names are matched ignoring case and the spaces around them; `columns` (from --column) come first. */
function readHeader(
  record: readonly string[],
  path: string,
  line: number,
  mapped: ReadonlyMap<string, CsvColumn> = new Map(),
): CsvColumn[] {
  const fields = recipientFields();
  const columns = fields.map((field) => field.name);
  const byLowerCase = new Map(columns.map((column) => [column.toLowerCase(), column]));
  const at = `${path}:${line}`;
  for (const [key, column] of mapped) {
    if (!record.some((name) => name.trim().toLowerCase() === key)) {
      throw new CliError(`${at}: --column ${column}=…: the header has no column "${key}".`);
    }
  }
  const header = record.map((name) => {
    const key = name.trim().toLowerCase();
    const column = mapped.get(key) ?? byLowerCase.get(key);
    if (!column) {
      throw new CliError(
        `${at}: unknown column "${name}"; the columns are ${columns.join(", ")}. ` +
          `Name the field it holds with --column, for example --column ${guessField(key) ?? "Phone"}=${quoteArg(name)}.`,
      );
    }
    return column;
  });
  for (const { name, required } of fields) {
    if (required && !header.includes(name)) {
      throw new CliError(
        `${at}: the header has no ${name} column; it is required (${columns.join(",")}, or map yours with --column ${name}=…).`,
      );
    }
  }
  const repeated = header.find((column, index) => header.indexOf(column) !== index);
  if (repeated) throw new CliError(`${at}: the column ${repeated} appears twice.`);
  return header;
}

// Common Swedish and English header names, only to make the --column example in an error point the right way.
const likelyField: [RegExp, string][] = [
  [/telefon|mobil|phone|tel/, "Phone"],
  [/förnamn|first/, "FirstName"],
  [/efternamn|last|surname/, "LastName"],
  [/e-?post|e-?mail|mejl/, "Email"],
];

function guessField(header: string): string | undefined {
  const field = likelyField.find(([pattern]) => pattern.test(header))?.[1];
  return field && recipientFields().some((known) => known.name === field) ? field : undefined;
}

function quoteArg(text: string): string {
  return /^[\p{L}\p{N}_.-]+$/u.test(text) ? text : `"${text.replaceAll('"', '\\"')}"`;
}

function toRow(record: readonly string[], header: readonly CsvColumn[], line: number): CsvRow {
  if (record.length !== header.length) {
    return {
      line,
      fields: {},
      problem: `expected ${header.length} fields, as in the header, but found ${record.length}`,
    };
  }
  const fields: Record<CsvColumn, string> = {};
  header.forEach((column, index) => {
    const cell = record[index];
    if (cell) fields[column] = cell;
  });
  return { line, fields };
}

/** The line breaks in a cell (CRLF counts once). Most cells hold none, which one test says. */
function lineBreaks(cell: string): number {
  return /[\r\n]/.test(cell) ? (cell.match(/\r\n|\r|\n/g)?.length ?? 0) : 0;
}

function asCliError(error: unknown, path: string, lines: LineCounter): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof CsvEncodingError) return new CliError(`${path}:${error.line}: ${error.message}.`);
  if (error instanceof CsvSyntaxError)
    return new CliError(`${path}:${lines.nextStart(error.emptyLines)}: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new CliError(`${path}: no such file.`);
  if (code === "EISDIR") return new CliError(`${path}: is a directory, not a CSV file.`);
  if (code === "EACCES") return new CliError(`${path}: permission denied.`);
  return error;
}
