// Matches a sent chunk's records to its recipients by normalized phone: IP1 answers one OutgoingSms per message it
// accepted, and silently drops duplicates and blacklisted numbers, so a recipient without a record was probably not
// texted, and a record for a phone that was not in the chunk is flagged.
import { normalizePhone, type OutgoingSms, statusOutcome, summarize } from "../../index.js";
import type { FailedRecipient, MessageCounts, MissingRecord } from "./records.js";

/** A recipient as sent: the normalized (E.164) phone, and the CSV line it came from. */
export interface SentRecipient {
  phone: string;
  line?: number;
}

export interface Reconciliation {
  messages: MessageCounts;
  failedRecipients: FailedRecipient[];
  noRecord: MissingRecord[];
  unexpected: string[];
}

export function reconcile(recipients: readonly SentRecipient[], records: readonly OutgoingSms[]): Reconciliation {
  const waiting = new Map<string, SentRecipient>(recipients.map((recipient) => [recipient.phone, recipient]));
  const failedRecipients: FailedRecipient[] = [];
  const unexpected: string[] = [];
  for (const record of records) {
    const phone = recordPhone(record.To);
    const recipient = phone === undefined ? undefined : waiting.get(phone);
    if (!recipient || phone === undefined) {
      unexpected.push(record.To ?? "(no To)");
      continue;
    }
    waiting.delete(phone);
    if (statusOutcome(record.Status) === "failed") {
      failedRecipients.push({
        to: record.To,
        ...(recipient.line !== undefined ? { line: recipient.line } : {}),
        status: record.Status,
        description: record.StatusDescription,
      });
    }
  }
  const summary = summarize(records);
  return {
    messages: {
      total: summary.total,
      delivered: summary.delivered.length,
      inTransit: summary.inTransit.length,
      failed: summary.failed.length,
      unknown: summary.unknown.length,
    },
    failedRecipients,
    noRecord: [...waiting.values()].map(({ phone, line }) => (line === undefined ? { phone } : { phone, line })),
    unexpected,
  };
}

/** IP1 writes To as digits, often without the "+": read it as an international number. */
function recordPhone(to: string | undefined): string | undefined {
  if (!to) return undefined;
  const written = to.trim();
  const normalized = normalizePhone(written.startsWith("+") || written.startsWith("00") ? written : `+${written}`);
  return normalized.ok ? normalized.e164 : undefined;
}
