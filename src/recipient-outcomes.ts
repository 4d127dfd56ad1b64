// Each recipient's outcome after a request: the one rule the bulk send, the ledger and the CLI's report share. IP1
// answers one OutgoingSms per message it accepted and silently drops some (duplicates, its blacklist), so records are
// matched to recipients by normalized phone, never by position.
import type { Ip1Error } from "./errors.js";
import type { Ip1Evidence, TextState } from "./ledger/ledger.js";
import { normalizePhone } from "./phone.js";
import { statusOutcome } from "./status.js";
import type { OutgoingSms } from "./types-entry.js";

/**
 * One recipient of a send, after it:
 * - `"sent"`: IP1 answered 200 with a record for this phone whose Status has not failed (it may still fail later).
 * - `"failed"`: IP1 answered 200 with a record whose Status failed (42, 51, 52), or with no record for this phone.
 * - `"refused"`: IP1 certainly did not send it (the request's error has outcome `"not-sent"`).
 * - `"unknown"`: IP1 may have texted this person (the request's error has outcome `"unknown"`): never resend blindly.
 * - `"held"`: not sent by this call, because the ledger already holds this text in state `heldAs`.
 */
export interface RecipientResult {
  /** The recipient's position in the send's `Users`. */
  index: number;
  /** The phone as sent, in E.164. */
  phone: string;
  outcome: "sent" | "failed" | "refused" | "unknown" | "held";
  /** With `"held"`: the state the ledger holds the text in (sent, in-flight or unknown unless forced). */
  heldAs?: TextState;
  /** IP1's record of the text: its ID, BundleID and Status, when IP1 answered with one. */
  ip1?: Ip1Evidence;
  /** Why the outcome is failed, refused or unknown (redacted: never a credential). */
  error?: string;
}

/** A recipient as put in a request: its position in `Users` and its phone in E.164. */
export interface SentRecipient {
  index: number;
  phone: string;
}

/**
 * The recipients' outcomes from IP1's 200 answer, matched by normalized phone, and the records that matched no
 * recipient (`unexpected`, by their `To`).
 */
export function outcomesOfAnswer(
  recipients: readonly SentRecipient[],
  records: readonly OutgoingSms[],
): { results: RecipientResult[]; unexpected: string[] } {
  const recordByPhone = new Map<string, OutgoingSms>();
  const unexpected: string[] = [];
  const wanted = new Set(recipients.map((recipient) => recipient.phone));
  for (const record of records) {
    const phone = recordPhone(record.To, wanted);
    if (phone === undefined || !wanted.has(phone) || recordByPhone.has(phone)) unexpected.push(record.To ?? "(no To)");
    else recordByPhone.set(phone, record);
  }
  const results = recipients.map(({ index, phone }): RecipientResult => {
    const record = recordByPhone.get(phone);
    if (!record) return { index, phone, outcome: "failed", error: "IP1 answered 200 without a record for this phone" };
    const ip1 = evidenceOf(record);
    if (statusOutcome(record.Status) !== "failed") return { index, phone, outcome: "sent", ip1 };
    const description = record.StatusDescription ? ` (${record.StatusDescription})` : "";
    return { index, phone, outcome: "failed", ip1, error: `IP1's Status ${record.Status}${description}` };
  });
  return { results, unexpected };
}

/** The recipients' outcomes when the request failed: refused when IP1 certainly did not send it, else unknown. */
export function outcomesOfError(recipients: readonly SentRecipient[], error: Ip1Error): RecipientResult[] {
  const outcome = error.outcome === "not-sent" ? "refused" : "unknown";
  const reason = `${error.name}: ${error.message}`.slice(0, 500);
  return recipients.map(({ index, phone }) => ({ index, phone, outcome, error: reason }));
}

export function evidenceOf(record: OutgoingSms): Ip1Evidence {
  const ip1: Ip1Evidence = {};
  if (record.ID !== undefined && record.ID !== null) ip1.id = String(record.ID);
  if (record.BundleID !== undefined && record.BundleID !== null) ip1.bundleId = String(record.BundleID);
  if (record.Status !== undefined) ip1.status = record.Status;
  return ip1;
}

/**
 * IP1 writes To as digits, often without the "+": read it as an international number. Written as the E.164 number
 * sent (with or without "+" or "00"), it is matched without parsing; anything else is parsed.
 */
export function recordPhone(to: string | undefined, wanted: ReadonlySet<string>): string | undefined {
  if (!to) return undefined;
  const written = to.trim();
  const direct = written.startsWith("+") ? written : `+${written.startsWith("00") ? written.slice(2) : written}`;
  if (wanted.has(direct)) return direct;
  const normalized = normalizePhone(written.startsWith("+") || written.startsWith("00") ? written : `+${written}`);
  return normalized.ok ? normalized.e164 : undefined;
}
