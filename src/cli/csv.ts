// Streams a recipients CSV (header row; quoted fields; commas and newlines in quotes; UTF-8 with or without BOM;
// LF or CRLF) into rows that carry the physical line they start on, and hashes the file's bytes on the way.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { CliError } from "./cli-error.js";
import { recipientFields } from "./recipient-fields.js";

/** A column is a recipient field of the bundled spec (see recipient-fields.ts), by its exact name. */
export type CsvColumn = string;

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
): Promise<CsvDigest> {
  const hash = createHash("sha256");
  const lines = new LineCounter();
  let header: CsvColumn[] | undefined;
  let rows = 0;
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true, // a short or long row is that row's problem (skippable), not the file's
    record_delimiter: ["\r\n", "\n"],
    // Rows are handled here, synchronously and in order, so a later syntax error cannot overtake them and none pile
    // up in the stream's buffer; returning null emits nothing.
    on_record: (record: string[], context) => {
      const line = lines.next(record, context.empty_lines);
      if (header === undefined) header = readHeader(record, path);
      else {
        rows++;
        onRow(toRow(record, header, line));
      }
      return null;
    },
  });
  try {
    await pipeline(createReadStream(file), hashAndDecodeUtf8(hash, path, pause), parser);
  } catch (error) {
    throw asCliError(error, path, lines);
  }
  if (header === undefined) {
    const columns = recipientFields().map((field) => field.name);
    throw new CliError(
      `${path}: the file is empty; it needs a header row (${columns.join(",")}) and a row per recipient.`,
    );
  }
  return { sha256: hash.digest("hex"), rows };
}

/**
 * csv-parse's own `info.lines` counts a CRLF inside quotes as two lines, so lines are counted here:
 * a record starts after the previous one and the empty lines skipped since, and spans the line breaks in its cells.
 */
class LineCounter {
  private lastEnd = 0;
  private lastEmpty = 0;

  next(record: readonly string[], emptyLines: number): number {
    const start = this.nextStart(emptyLines);
    this.lastEnd = start + record.reduce((breaks, cell) => breaks + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    this.lastEmpty = emptyLines;
    return start;
  }

  nextStart(emptyLines: number): number {
    return this.lastEnd + 1 + (emptyLines - this.lastEmpty);
  }
}

function hashAndDecodeUtf8(
  hash: ReturnType<typeof createHash>,
  path: string,
  pause?: () => Promise<void> | undefined,
): Transform {
  // fatal: a file saved as Windows-1252 (Excel's default) is an error, not names quietly full of U+FFFD.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (bytes?: Buffer) => {
    try {
      return decoder.decode(bytes, { stream: bytes !== undefined });
    } catch {
      throw new CliError(`${path}: the file is not UTF-8 text; save it as "CSV UTF-8" and try again.`);
    }
  };
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback) {
      const go = () => {
        hash.update(chunk);
        try {
          callback(null, decode(chunk));
        } catch (error) {
          callback(error as Error);
        }
      };
      const wait = pause?.();
      if (wait) wait.then(go, callback);
      else go();
    },
    flush(callback) {
      try {
        callback(null, decode());
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

function readHeader(record: readonly string[], path: string): CsvColumn[] {
  const fields = recipientFields();
  const columns = fields.map((field) => field.name);
  const byLowerCase = new Map(columns.map((column) => [column.toLowerCase(), column]));
  const header = record.map((name) => {
    const column = byLowerCase.get(name.toLowerCase());
    if (!column) {
      throw new CliError(`${path}:1: unknown column "${name}"; the columns are ${columns.join(", ")}.`);
    }
    return column;
  });
  for (const { name, required } of fields) {
    if (required && !header.includes(name)) {
      throw new CliError(`${path}:1: the header has no ${name} column; it is required (${columns.join(",")}).`);
    }
  }
  const repeated = header.find((column, index) => header.indexOf(column) !== index);
  if (repeated) throw new CliError(`${path}:1: the column ${repeated} appears twice.`);
  return header;
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

function asCliError(error: unknown, path: string, lines: LineCounter): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof CsvError) {
    // csv-parse's message names its own (CRLF-miscounted) line; ours replaces it.
    const emptyLines = (error as CsvError & { empty_lines?: number }).empty_lines ?? 0;
    return new CliError(`${path}:${lines.nextStart(emptyLines)}: ${error.message.replace(/ at line \d+/, "")}`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new CliError(`${path}: no such file.`);
  if (code === "EISDIR") return new CliError(`${path}: is a directory, not a CSV file.`);
  if (code === "EACCES") return new CliError(`${path}: permission denied.`);
  return error;
}
