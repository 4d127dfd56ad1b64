// The state of a whole job (every chunk, across resumes), read from its journal, and the exit code it earns.
import { ExitCode } from "./exit-codes.js";
import {
  type AttemptRecord,
  chunkStates,
  type FailedRecipient,
  type JournalContents,
  type MessageCounts,
  type OutcomeRecord,
} from "./journal.js";

export interface JobReport {
  chunks: { total: number; sent: number; failed: number; unknown: number; notSent: number };
  /** The message records IP1 returned, by the outcome of their Status. */
  messages: MessageCounts;
  failedRecipients: FailedRecipient[];
  /** Chunks IP1 refused (nothing was sent): a resume sends them again. */
  failedChunks: OutcomeRecord[];
  /** Chunks that may or may not have been sent, including ones whose process died mid-request. */
  unknownChunks: (OutcomeRecord | AttemptRecord)[];
  /** Chunks that were never attempted (the run stopped early): a resume sends them. */
  notSentChunks: number[];
}

export function reportJob(journal: JournalContents): JobReport {
  const report: JobReport = {
    chunks: { total: journal.header.chunks, sent: 0, failed: 0, unknown: 0, notSent: 0 },
    messages: { total: 0, delivered: 0, inTransit: 0, failed: 0, unknown: 0 },
    failedRecipients: [],
    failedChunks: [],
    unknownChunks: [],
    notSentChunks: [],
  };
  const states = chunkStates(journal.records);
  for (let chunk = 0; chunk < journal.header.chunks; chunk++) {
    const entry = states.get(chunk);
    if (!entry) {
      report.chunks.notSent++;
      report.notSentChunks.push(chunk);
    } else if (entry.state === "sent" && entry.record.type === "chunk") {
      report.chunks.sent++;
      addCounts(report.messages, entry.record.messages);
      report.failedRecipients.push(...(entry.record.failedRecipients ?? []));
    } else if (entry.state === "failed" && entry.record.type === "chunk") {
      report.chunks.failed++;
      report.failedChunks.push(entry.record);
    } else {
      report.chunks.unknown++;
      report.unknownChunks.push(entry.record);
    }
  }
  return report;
}

function addCounts(total: MessageCounts, counts: Partial<MessageCounts> | undefined) {
  for (const key of Object.keys(total) as (keyof MessageCounts)[]) total[key] += counts?.[key] ?? 0;
}

/** 3 when any chunk's outcome is unknown, else 1 when anything failed or was not sent, else 0. */
export function exitCodeOf(report: JobReport): ExitCode {
  if (report.chunks.unknown > 0) return ExitCode.unknown;
  if (report.chunks.failed > 0 || report.chunks.notSent > 0 || report.messages.failed > 0) return ExitCode.someFailed;
  return ExitCode.ok;
}
