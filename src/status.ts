// Each recipient's outcome from an OutgoingSms Status. A 200 can hold failed messages, so every record is sorted into
// a list, and a code this package does not know is reported as "unknown", never dropped.
import type { OutgoingSms } from "./types-entry.js";

/** What a recipient's Status means for a caller. */
export type RecipientOutcome = "delivered" | "in-transit" | "failed" | "unknown";

// Source: iP1SMS/documentation REST-API.md, copied into the spec's OutgoingSms.Status.
const outcomeByStatus: Record<number, RecipientOutcome> = {
  0: "in-transit", // delivered to the gateway
  21: "in-transit", // delivered to the GSM network; may take up to 48 h to reach the phone
  22: "delivered", // delivered to the phone (final)
  42: "failed", // internal error
  51: "failed", // delivery to the GSM network failed
  52: "failed", // delivery to the phone failed
};

/** The outcome of a Status code: 0 and 21 "in-transit", 22 "delivered", 42/51/52 "failed", anything else "unknown". */
export function statusOutcome(status: number | undefined): RecipientOutcome {
  return (status !== undefined && outcomeByStatus[status]) || "unknown";
}

/** Every record, sorted by outcome; each list keeps the records in their original order. */
export interface RecipientSummary {
  total: number;
  delivered: OutgoingSms[];
  inTransit: OutgoingSms[];
  failed: OutgoingSms[];
  unknown: OutgoingSms[];
}

/** Sorts the records of a send by outcome, so failed recipients are listed, not hidden in a 200. */
export function summarize(messages: Iterable<OutgoingSms>): RecipientSummary {
  const summary: RecipientSummary = { total: 0, delivered: [], inTransit: [], failed: [], unknown: [] };
  for (const message of messages) {
    const outcome = statusOutcome(message.Status);
    summary[outcome === "in-transit" ? "inTransit" : outcome].push(message);
    summary.total++;
  }
  return summary;
}
