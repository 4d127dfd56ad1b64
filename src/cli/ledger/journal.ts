// The journal of a job (JSONL): a header naming the job, then per run a "run" line, and per chunk an "attempt" line
// written and synced BEFORE its request goes out and an outcome line after. A chunk with an attempt and no outcome
// (the process died mid-request) is unknown, so nothing here can ever lead to sending it again by accident.
// This folder is the only code that reads or writes journals.
import { readFileSync, renameSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { CliError } from "../cli-error.js";
import { LineFile, LineWriteError, syncDirectory } from "./lines.js";
import {
  type AttemptRecord,
  chunksOf,
  isJournalRecord,
  JOURNAL_VERSION,
  type JournalContents,
  type JournalHeader,
  type JournalRecord,
  type OutcomeRecord,
  type RepairRecord,
} from "./records.js";

export { LineWriteError } from "./lines.js";

/** A journal open for appending; `contents` holds exactly what is durable on disk. */
export class Journal {
  private constructor(
    readonly path: string,
    private readonly file: LineFile,
    readonly contents: JournalContents,
    /** Set when opening cut off a damaged tail. */
    readonly repaired?: RepairRecord,
  ) {}

  /** Starts a new journal; refuses to overwrite any file (it may be the only record of a send). */
  static create(path: string, header: JournalHeader): Journal {
    let file: LineFile;
    try {
      file = LineFile.create(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(`${path}: cannot create the journal (${code ?? error}).`);
    }
    const journal = new Journal(path, file, { header, records: [] });
    try {
      file.append(JSON.stringify(header));
    } catch (error) {
      file.close();
      unlinkSync(path); // holds nothing yet: leave no headless file behind
      throw asCliError(error);
    }
    return journal;
  }

  /** Opens an existing journal to continue it, cutting off (and recording) a damaged tail first. */
  static open(path: string, now: Date): Journal {
    const bytes = readJournalBytes(path);
    const read = parseJournal(bytes, path);
    let repaired: RepairRecord | undefined;
    if (read.tail.length > 0) {
      repaired = repairRecord(read.tail, read.contents, now);
      replaceWith(
        path,
        Buffer.concat([bytes.subarray(0, read.wholeBytes), Buffer.from(`${JSON.stringify(repaired)}\n`)]),
      );
      read.contents.records.push(repaired);
    }
    const size = read.wholeBytes + (repaired ? Buffer.byteLength(`${JSON.stringify(repaired)}\n`) : 0);
    return new Journal(path, LineFile.extend(path, size), read.contents, repaired);
  }

  /** Appends a record once it is durable; throws LineWriteError (with nothing appended) when it cannot be. */
  append(record: JournalRecord): void {
    this.file.append(JSON.stringify(record));
    this.contents.records.push(record);
  }

  close(): void {
    this.file.close();
  }
}

/**
 * Removes `path` if it is a journal whose creation never finished (empty, or a cut first line of ours), and says so.
 * Nothing can have been sent for it: a header and a run line are durable before any attempt.
 */
export function discardAbandonedJournal(path: string): boolean {
  if (!isAbandonedJournal(path)) return false;
  unlinkSync(path);
  return true;
}

function isAbandonedJournal(path: string): boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return false;
  }
  if (bytes.length > 64 * 1024 || bytes.includes(10)) return false;
  const text = bytes.toString("utf8");
  return text.replace(/\0+$/, "") === "" || text.startsWith('{"type":"job"');
}

/** Reads a journal without changing it (for the report of a job found on disk). */
export function readJournal(path: string): JournalContents {
  return parseJournal(readJournalBytes(path), path).contents;
}

function readJournalBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`${path}: cannot read the journal (${(error as NodeJS.ErrnoException).code ?? error}).`);
  }
}

/**
 * Whole lines are the ones ending in "\n" that parse as records. After the last of them may come a tail (a torn
 * line, NUL bytes from a power loss, garbage): it is returned to be repaired. A bad line with good lines after it is
 * not a tail, and refused: what it recorded cannot be known.
 */
function parseJournal(bytes: Buffer, path: string) {
  const records: unknown[] = [];
  let wholeBytes = 0;
  let badLine: number | undefined;
  let offset = 0;
  for (let lineNumber = 1; offset < bytes.length; lineNumber++) {
    const end = bytes.indexOf(10, offset);
    if (end < 0) break;
    const value = parseLine(bytes.subarray(offset, end));
    offset = end + 1;
    if (value === undefined) {
      badLine ??= lineNumber;
      continue;
    }
    if (badLine !== undefined) {
      throw new CliError(
        `${path}:${badLine}: not a journal line, with journal lines after it: what it recorded cannot be known, so ` +
          "nothing is sent. Restore the journal from a backup, or check in IP1's portal what was sent.",
      );
    }
    records.push(value);
    wholeBytes = offset;
  }
  const [header, ...rest] = records as [JournalHeader | undefined, ...JournalRecord[]];
  if (header?.type !== "job" || header.version !== JOURNAL_VERSION) {
    throw new CliError(
      records.length === 0
        ? `${path}: the journal has no complete first line (a run that died while creating it sent nothing); delete it and run again.`
        : `${path}:1: not an ip1-nki journal (version ${JOURNAL_VERSION}): its first line is not a job header.`,
    );
  }
  return { contents: { header, records: rest }, wholeBytes, tail: bytes.subarray(wholeBytes) };
}

function parseLine(line: Buffer): JournalHeader | JournalRecord | undefined {
  try {
    const value: unknown = JSON.parse(line.toString("utf8"));
    if ((value as { type?: unknown })?.type === "job" || isJournalRecord(value)) return value as JournalRecord;
  } catch {
    // not JSON
  }
  return undefined;
}

function repairRecord(tail: Buffer, contents: JournalContents, now: Date): RepairRecord {
  const text = tail.toString("utf8");
  const oneCutLine = text.startsWith("{") && !text.includes("\n");
  const kind = tail.every((byte) => byte === 0) ? "nul-bytes" : oneCutLine ? "torn-line" : "garbage";
  return {
    type: "repair",
    kind,
    droppedBytes: tail.length,
    dropped: text.slice(0, 200),
    unknownChunks: chunksTailMayAnnounce(text, contents),
    at: now.toISOString(),
  };
}

/**
 * The chunks a dropped tail may have announced. A torn attempt line names its chunk; an unreadable tail may be the
 * attempt line of the next chunk the last run planned and had not attempted yet (attempt lines follow the plan's
 * order). A torn outcome line needs nothing: its attempt line is whole, so its chunk is unknown already; nor does a
 * torn run or repair line.
 */
function chunksTailMayAnnounce(text: string, contents: JournalContents): number[] {
  const type = /^\{"type":"(\w+)",/.exec(text)?.[1];
  if (type !== undefined && type !== "attempt") return []; // a cut run, outcome or repair line announces nothing
  const chunk = /^\{"type":"attempt","chunk":(\d+)[,}]/.exec(text)?.[1];
  if (chunk !== undefined) return [Number(chunk)];
  const lastRun = contents.records.findLastIndex((record) => record.type === "run");
  const run = contents.records[lastRun];
  if (run?.type !== "run") return [];
  const attempted = new Set(
    contents.records.slice(lastRun).flatMap((record) => (record.type === "attempt" ? [record.chunk] : [])),
  );
  for (const chunk of chunksOf(run.send)) if (!attempted.has(chunk)) return [chunk];
  return [];
}

/** Replaces the file atomically (write aside, sync, rename over, sync the directory): a crash leaves old or new. */
function replaceWith(path: string, bytes: Buffer) {
  const aside = `${path}.repair-${process.pid}`;
  try {
    const file = LineFile.create(aside);
    try {
      file.append(bytes.toString("utf8").slice(0, -1));
    } finally {
      file.close();
    }
    renameSync(aside, path);
    syncDirectory(dirname(path));
  } catch (error) {
    try {
      unlinkSync(aside);
    } catch {
      // never created, or renamed already
    }
    throw new CliError(
      `${path}: cannot repair the journal's damaged tail (${(error as NodeJS.ErrnoException).code ?? error}); nothing was sent.`,
    );
  }
}

export function asCliError(error: unknown): unknown {
  return error instanceof LineWriteError ? new CliError(`${error.message}; nothing was sent.`) : error;
}

/** A chunk's state from its latest line: an outcome, or "attempted" (sent or not, no answer was recorded). */
export type ChunkState = OutcomeRecord["outcome"] | "attempted";

export interface ChunkEntry {
  state: ChunkState;
  /** The outcome or attempt line, or for a chunk a repaired tail may have announced, the repair. */
  record: OutcomeRecord | AttemptRecord | RepairRecord;
}

/** Every chunk's state in the current round (a --send-again run starts a new round in which nothing is sent). */
export function chunkStates(records: readonly JournalRecord[]): Map<number, ChunkEntry> {
  const states = new Map<number, ChunkEntry>();
  for (const record of records) {
    if (record.type === "run" && record.mode === "again") states.clear();
    if (record.type === "attempt") states.set(record.chunk, { state: "attempted", record });
    if (record.type === "chunk") states.set(record.chunk, { state: record.outcome, record });
    if (record.type === "repair") {
      for (const chunk of record.unknownChunks) states.set(chunk, { state: "attempted", record });
    }
  }
  return states;
}
