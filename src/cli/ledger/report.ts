// The state of a whole job (every chunk, across resumes), read from its journal. Every recipient of the job ends in
// exactly one state: sent, failed, noRecord, refused, unknown or notSent.
import { ExitCode } from "../exit-codes.js";
import { chunkStates } from "./journal.js";
import type {
  ChunkSpan,
  FailedRecipient,
  JournalContents,
  MessageCounts,
  MissingRecord,
  OutcomeRecord,
} from "./records.js";

/** How many recipients are in each end state. */
export interface RecipientStates {
  total: number;
  /** IP1 returned a record that did not fail. */
  sent: number;
  /** IP1 returned a record with a failed Status. */
  failed: number;
  /** IP1 answered 200 without a record for them (it drops duplicates and blacklisted numbers): probably not texted. */
  noRecord: number;
  /** In a chunk IP1 refused: not sent; a resume sends them. */
  refused: number;
  /** In a chunk whose outcome is unknown: maybe texted; a resume holds them back. */
  unknown: number;
  /** In a chunk never attempted (the run stopped early): a resume sends them. */
  notSent: number;
}

/** A chunk that needs the user, and why. */
export interface ChunkIssue extends ChunkSpan {
  reason: string;
}

export interface JobReport {
  chunks: { total: number; sent: number; failed: number; unknown: number; notSent: number };
  recipients: RecipientStates;
  /** The message records IP1 returned, by the outcome of their Status. */
  messages: MessageCounts;
  failedRecipients: FailedRecipient[];
  noRecord: MissingRecord[];
  /** Records whose phone was not in the chunk they came back for. */
  unexpectedRecords: { chunk: number; to: string }[];
  /** Chunks IP1 refused (nothing was sent): a resume sends them again. */
  failedChunks: ChunkIssue[];
  /** Chunks that may or may not have been sent, including ones whose process died mid-request. */
  unknownChunks: ChunkIssue[];
  /** Chunks never attempted (the run stopped early): a resume sends them. */
  notSentChunks: ChunkIssue[];
}

export function reportJob(journal: JournalContents): JobReport {
  const { header } = journal;
  const report: JobReport = {
    chunks: { total: header.chunks, sent: 0, failed: 0, unknown: 0, notSent: 0 },
    recipients: { total: header.recipients, sent: 0, failed: 0, noRecord: 0, refused: 0, unknown: 0, notSent: 0 },
    messages: { total: 0, delivered: 0, inTransit: 0, failed: 0, unknown: 0 },
    failedRecipients: [],
    noRecord: [],
    unexpectedRecords: [],
    failedChunks: [],
    unknownChunks: [],
    notSentChunks: [],
  };
  const states = chunkStates(journal.records);
  for (let chunk = 0; chunk < header.chunks; chunk++) {
    const entry = states.get(chunk);
    const record = entry?.record;
    const span: ChunkSpan =
      record && record.type !== "repair"
        ? spanOnly(record)
        : {
            chunk,
            first: chunk * header.chunkSize,
            count: Math.min(header.chunkSize, header.recipients - chunk * header.chunkSize),
          };
    if (!entry || !record) {
      report.chunks.notSent++;
      report.recipients.notSent += span.count;
      report.notSentChunks.push({ ...span, reason: "never attempted (the run stopped early)" });
    } else if (entry.state === "sent" && record.type === "chunk") {
      addSent(report, record);
    } else if (entry.state === "failed" && record.type === "chunk") {
      report.chunks.failed++;
      report.recipients.refused += span.count;
      report.failedChunks.push({ ...span, reason: record.error?.message ?? "refused" });
    } else {
      report.chunks.unknown++;
      report.recipients.unknown += span.count;
      report.unknownChunks.push({ ...span, reason: unknownReason(record) });
    }
  }
  return report;
}

function addSent(report: JobReport, record: OutcomeRecord) {
  report.chunks.sent++;
  const failed = record.failedRecipients ?? [];
  const missing = record.noRecord ?? [];
  report.recipients.failed += failed.length;
  report.recipients.noRecord += missing.length;
  report.recipients.sent += record.count - failed.length - missing.length;
  report.failedRecipients.push(...failed);
  report.noRecord.push(...missing);
  for (const to of record.unexpected ?? []) report.unexpectedRecords.push({ chunk: record.chunk, to });
  for (const key of Object.keys(report.messages) as (keyof MessageCounts)[]) {
    report.messages[key] += record.messages?.[key] ?? 0;
  }
}

function spanOnly({ chunk, first, count, lines }: ChunkSpan): ChunkSpan {
  return lines ? { chunk, first, count, lines } : { chunk, first, count };
}

function unknownReason(record: { type: string; at: string; error?: { message: string }; kind?: string }): string {
  if (record.type === "chunk") return record.error?.message ?? "unknown";
  if (record.type === "repair")
    return `its attempt line may be the damaged journal tail (${record.kind}) cut off at ${record.at}`;
  return `attempted at ${record.at}, but the run ended before IP1's answer was recorded`;
}

/** 3 when any recipient's outcome is unknown, else 1 when any was not sent or has no successful record, else 0. */
export function exitCodeOf(report: JobReport): ExitCode {
  const { recipients } = report;
  if (recipients.unknown > 0) return ExitCode.unknown;
  if (recipients.sent < recipients.total) return ExitCode.someFailed;
  return ExitCode.ok;
}
