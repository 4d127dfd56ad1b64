// The JSONL journal of a bulk send: a header naming the job, then, per chunk, an "attempt" line written (and synced)
// BEFORE the request goes out and an outcome line after. A chunk with an attempt and no outcome (the process died
// mid-request) counts as unknown, so a resume can never resend it by accident.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { CliError } from "./cli-error.js";

export const JOURNAL_VERSION = 1;

/** What a resumed run must match to be the same job. */
export interface JobIdentity {
  nki: number;
  from: string;
  /** SHA-256 of the message text. */
  messageSha256: string;
  email: boolean;
  /** SHA-256 of the CSV file's bytes, or of the --to recipients. */
  inputSha256: string;
  /** Recipients in the job (after --skip-invalid left out the invalid rows). */
  recipients: number;
  chunkSize: number;
}

export interface JournalHeader extends JobIdentity {
  type: "run";
  version: typeof JOURNAL_VERSION;
  /** The CSV path as given, or "--to"; informative only (a moved file is still the same job). */
  input: string;
  chunks: number;
  startedAt: string;
}

/** Which recipients a chunk holds: indexes into the job's recipients, and for a CSV the lines they came from. */
export interface ChunkSpan {
  chunk: number;
  /** Index of the chunk's first recipient in the job (0-based). */
  first: number;
  count: number;
  /** First and last CSV line of the chunk's recipients. */
  lines?: [number, number];
}

export type ChunkOutcome = "sent" | "failed" | "unknown";

export interface FailedRecipient {
  to: string | undefined;
  /** CSV line of the recipient, when known. */
  line?: number;
  status: number | undefined;
  description: string | undefined;
}

export interface MessageCounts {
  total: number;
  delivered: number;
  inTransit: number;
  failed: number;
  /** Records with a Status this package does not know. */
  unknown: number;
}

export interface AttemptRecord extends ChunkSpan {
  type: "attempt";
  at: string;
}

export interface OutcomeRecord extends ChunkSpan {
  type: "chunk";
  outcome: ChunkOutcome;
  /** Why the request failed or may have failed (never credentials). */
  error?: { name: string; message: string; status?: number };
  /** The chunk's message records counted by the outcome of their Status (see the library's summarize). */
  messages?: MessageCounts;
  /** Recipients whose message came back with a failed Status. */
  failedRecipients?: FailedRecipient[];
  at: string;
}

export interface ResumeRecord {
  type: "resume";
  force: boolean;
  at: string;
}

export type JournalRecord = AttemptRecord | OutcomeRecord | ResumeRecord;

export interface JournalContents {
  header: JournalHeader;
  records: JournalRecord[];
}

/** A journal on disk and in memory: every record is on disk before `append` returns. */
export class Journal {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly contents: JournalContents,
  ) {}

  /** Starts a new journal; refuses to overwrite an existing file (it may be the only record of a send). */
  static create(path: string, header: JournalHeader): Journal {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        code === "EEXIST"
          ? `${path}: a journal already exists there; continue it with --resume ${path}, or choose another --journal.`
          : `${path}: cannot create the journal (${code ?? error}).`,
      );
    }
    writeLine(fd, header);
    return new Journal(path, fd, { header, records: [] });
  }

  /** Opens an existing journal to continue it. */
  static resume(path: string): Journal {
    const contents = readJournal(path);
    return new Journal(path, openSync(path, "a"), contents);
  }

  append(record: JournalRecord): void {
    writeLine(this.fd, record);
    this.contents.records.push(record);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function writeLine(fd: number, record: JournalHeader | JournalRecord) {
  writeSync(fd, `${JSON.stringify(record)}\n`);
  // An attempt line must survive a crash of this process before the request it announces goes out.
  fsyncSync(fd);
}

export function readJournal(path: string): JournalContents {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`${path}: cannot read the journal (${(error as NodeJS.ErrnoException).code ?? error}).`);
  }
  const lines = text.split("\n");
  // A crash while writing leaves at most the last line cut short: a lost attempt line means its request never left.
  if (lines.at(-1) === "" || !isJson(lines.at(-1) ?? "")) lines.pop();
  const parsed = lines.map((line, index) => {
    try {
      return JSON.parse(line) as JournalHeader | JournalRecord;
    } catch {
      throw new CliError(`${path}:${index + 1}: not a journal line (invalid JSON).`);
    }
  });
  const [header, ...records] = parsed;
  if (header?.type !== "run" || header.version !== JOURNAL_VERSION) {
    throw new CliError(
      `${path}:1: not an ip1-nki journal (version ${JOURNAL_VERSION}): its first line is not a run header.`,
    );
  }
  return { header, records: records as JournalRecord[] };
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** A chunk's state from its latest line: an outcome, or "attempted" (sent or not, no answer was recorded). */
export type ChunkState = ChunkOutcome | "attempted";

export function chunkStates(
  records: readonly JournalRecord[],
): Map<number, { state: ChunkState; record: OutcomeRecord | AttemptRecord }> {
  const states = new Map<number, { state: ChunkState; record: OutcomeRecord | AttemptRecord }>();
  for (const record of records) {
    if (record.type === "attempt") states.set(record.chunk, { state: "attempted", record });
    if (record.type === "chunk") states.set(record.chunk, { state: record.outcome, record });
  }
  return states;
}

export function defaultJournalName(now: Date): string {
  return `ip1-nki-journal-${now.toISOString().replace(/[:.]/g, "-")}.jsonl`;
}
