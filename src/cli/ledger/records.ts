// The journal's lines. Every record starts with "type" (and a chunk's with "chunk") so that even a torn line can tell
// which chunk it announced.
import type { JobIdentity } from "./identity.js";

export const JOURNAL_VERSION = 2;

export interface JournalHeader extends JobIdentity {
  type: "job";
  version: typeof JOURNAL_VERSION;
  /** The job's id (see jobId). */
  id: string;
  /** The CSV path as given, or "--to"; informative only (a moved file is still the same job). */
  input: string;
  chunks: number;
  createdAt: string;
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

/** Inclusive ranges of chunk indexes, [[0, 9], [12, 12]]: a plan of a million recipients stays one short line. */
export type ChunkRanges = [number, number][];

/**
 * A run starts: a new job, a resume, or the whole job again (--send-again). `send` is what it plans to send, in the
 * order its attempt lines will come; "again" starts a new round in which every chunk is unsent.
 */
export interface RunRecord {
  type: "run";
  mode: "new" | "resume" | "again";
  force: boolean;
  send: ChunkRanges;
  pid: number;
  /** The mock's URL, or the API's origin: where this run's requests went. */
  url: string;
  at: string;
}

/** Written and synced before the chunk's request goes out. */
export interface AttemptRecord extends ChunkSpan {
  type: "attempt";
  at: string;
}

export type ChunkOutcome = "sent" | "failed" | "unknown";

/** A recipient of a sent chunk whose record came back with a failed Status. */
export interface FailedRecipient {
  to: string | undefined;
  /** CSV line of the recipient, when known. */
  line?: number;
  status: number | undefined;
  description: string | undefined;
}

/** A recipient of a sent chunk that IP1 returned no record for (IP1 drops duplicates and blacklisted numbers). */
export interface MissingRecord {
  phone: string;
  line?: number;
}

export interface MessageCounts {
  total: number;
  delivered: number;
  inTransit: number;
  failed: number;
  /** Records with a Status this package does not know. */
  unknown: number;
}

export interface OutcomeRecord extends ChunkSpan {
  type: "chunk";
  outcome: ChunkOutcome;
  /** Why the request failed or may have failed (never credentials). */
  error?: { name: string; message: string; status?: number };
  /** The chunk's records counted by the outcome of their Status (see the library's summarize). */
  messages?: MessageCounts;
  failedRecipients?: FailedRecipient[];
  /** Recipients with no record in IP1's answer. */
  noRecord?: MissingRecord[];
  /** Records for phones that were not in this chunk (their To as IP1 wrote it). */
  unexpected?: string[];
  at: string;
}

/** A damaged tail was cut off before this run appended anything. */
export interface RepairRecord {
  type: "repair";
  kind: "torn-line" | "nul-bytes" | "garbage";
  droppedBytes: number;
  /** The start of what was dropped, for the curious (JSON-escaped, at most 200 characters). */
  dropped: string;
  /** Chunks the dropped bytes may have announced: they count as attempted (unknown), never as unsent. */
  unknownChunks: number[];
  at: string;
}

export type JournalRecord = RunRecord | AttemptRecord | OutcomeRecord | RepairRecord;

export interface JournalContents {
  header: JournalHeader;
  records: JournalRecord[];
}

const recordTypes = new Set(["run", "attempt", "chunk", "repair"]);

export function isJournalRecord(value: unknown): value is JournalRecord {
  return typeof value === "object" && value !== null && recordTypes.has((value as { type?: unknown }).type as string);
}

export function toRanges(chunks: readonly number[]): ChunkRanges {
  const ranges: ChunkRanges = [];
  for (const chunk of chunks) {
    const last = ranges.at(-1);
    if (last && last[1] === chunk - 1) last[1] = chunk;
    else ranges.push([chunk, chunk]);
  }
  return ranges;
}

export function* chunksOf(ranges: ChunkRanges): Generator<number> {
  for (const [from, to] of ranges) for (let chunk = from; chunk <= to; chunk++) yield chunk;
}
