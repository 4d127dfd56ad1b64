// What a bulk send reports: each chunk's outcome, the progress passed to `onProgress`, and the result. Types only, so
// the options (options.ts) can name them without importing the bulk send itself.
import type { Ip1Error } from "./errors.js";
import type { TextState } from "./ledger/ledger.js";
import type { DuplicatePhone } from "./phone.js";
import type { RecipientResult } from "./recipient-outcomes.js";
import type { RecipientSummary } from "./status.js";
import type { OutgoingSms } from "./types-entry.js";

/** How one chunk of a bulk send ended. */
export interface BulkChunkResult {
  /** The chunk's position; it holds `Users[start]` up to, not including, `Users[end]`. */
  index: number;
  start: number;
  end: number;
  /**
   * - `"sent"`: IP1 answered 200; `messages` has one record per recipient (check each `Status`, see `summarize`).
   *   Also a chunk whose every recipient was left out as a duplicate (`duplicatePhones: "keep-first"`): no request
   *   was made, and `messages` is empty.
   * - `"failed"`: IP1 certainly did not send it (`error.outcome` is `"not-sent"`); safe to fix and resend.
   * - `"unknown"`: IP1 may have sent it (`error.outcome` is `"unknown"`); never resend without checking.
   * - `"skipped"`: this call did not send it (excluded by `include`, or no new chunk started after an error or abort,
   *   or the ledger holds every one of its recipients: see `recipients`).
   * With a ledger, a chunk whose claim failed is `"failed"` (nothing was sent) with the ledger's error.
   */
  outcome: "sent" | "failed" | "unknown" | "skipped";
  messages?: OutgoingSms[];
  error?: Ip1Error;
  /**
   * Each recipient of the chunk that this call sent or the ledger held, in `Users` order, with its outcome and IP1's
   * record (ID, BundleID, Status); see `RecipientResult`. Absent for a skipped chunk without a ledger. Like `messages`,
   * kept in the result only with `keepMessages` (always passed to `onProgress`).
   */
  recipients?: RecipientResult[];
  /** Records of IP1's 200 that matched no recipient of the chunk (their `To`). */
  unexpected?: string[];
  /**
   * The ledger could not record this chunk's outcomes (they stay in flight there, which means unknown); no new chunk
   * was started after it.
   */
  ledgerError?: Ip1Error;
}

/** Passed to `onProgress` as each chunk finishes. */
export interface BulkProgress {
  chunk: BulkChunkResult;
  chunksDone: number;
  chunksTotal: number;
}

export interface BulkResult {
  /** Every chunk, in index order. */
  chunks: BulkChunkResult[];
  /**
   * Every record IP1 returned (from the "sent" chunks), sorted by outcome: failed recipients are listed here. With
   * `keepMessages: false`, only the failed and unknown-status records are kept, and `total` counts every record.
   */
  summary: RecipientSummary;
  /**
   * With `duplicatePhones: "keep-first"`: every recipient left out because an earlier one (in any chunk) has the same
   * normalized phone, with both positions in `Users`. Nobody listed here was sent anything by this call.
   */
  duplicates: DuplicatePhone[];
  /** How many recipients ended in each outcome (see `RecipientResult`); counted even without `keepMessages`. */
  recipients: Record<RecipientResult["outcome"], number>;
  /** With a ledger: how many recipients were held, by the state the ledger holds them in. */
  held: Partial<Record<TextState, number>>;
  /**
   * Whether the run stopped starting chunks by itself: after a chunk that stops the run (see `stopsTheRun`), a
   * ledger that failed, or a throwing `onProgress`. A caller sending in parts (the CLI) sends no further part.
   */
  stopped: boolean;
}
