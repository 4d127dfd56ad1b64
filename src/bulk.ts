// Bulk sends: one validated request split into chunks of at most 1000 users (IP1's recommendation), sent with
// bounded concurrency. Chunk i is always Users[i * chunkSize, (i + 1) * chunkSize), so a journal can name chunks by
// index. Each chunk's users are sliced only when it is sent, so memory beyond the input stays one chunk per worker.
// Duplicate phones were found across all chunks before any is sent (validate.ts); with "keep-first" the later ones
// are left out of their chunk, which keeps its index and range.
// With a ledger, each chunk's recipients are claimed just before its request, and their outcomes recorded before the
// chunk is reported: the rules for a chunk's outcome and for when a run stops live here, once, for the CLI too.
import type { BulkChunkResult, BulkResult } from "./bulk-result.js";
import { ChunkBytes } from "./chunk-bytes.js";
import { DEFAULTS } from "./defaults.js";
import { Ip1BadRequestError, Ip1Error, type Ip1Problem, Ip1ValidationError } from "./errors.js";
import { type Candidate, claimRecipients, type LedgerUse, recordOutcomes, sentRecipients } from "./ledger/use.js";
import type { BulkSendOptions, SendOptions } from "./options.js";
import { LARGEST_CHUNK_SIZE, requestSizeProblems } from "./policy.js";
import { outcomesOfAnswer, outcomesOfError, type RecipientResult } from "./recipient-outcomes.js";
import { type RecipientSummary, summarize } from "./status.js";
import type { NkiSendRequest, NkiUser, OutgoingSms } from "./types-entry.js";
import type { PreparedSend } from "./validate.js";

export type { BulkChunkResult, BulkProgress, BulkResult } from "./bulk-result.js";

/** How a chunk whose request failed is classed: `"failed"` when IP1 certainly did not send it, else `"unknown"`. */
export function chunkOutcomeOf(error: Ip1Error): "failed" | "unknown" {
  return error.outcome === "not-sent" ? "failed" : "unknown";
}

/**
 * Whether a failed chunk stops the run (no new chunk starts): always with `continueOnError`-less runs, except after a
 * 400, which concerns that chunk's users; anything else (auth, credits, a failing server) would hit every chunk.
 */
export function stopsTheRun(error: Ip1Error, continueOnError: boolean | undefined): boolean {
  return !continueOnError && !(error instanceof Ip1BadRequestError);
}

/** What sendOnce throws is always an Ip1Error; anything else is treated as possibly sent. */
export function asIp1Error(caught: unknown): Ip1Error {
  if (caught instanceof Ip1Error) return caught;
  return new Ip1Error(caught instanceof Error ? caught.message : String(caught), "unknown", { cause: caught });
}

type Send = (body: NkiSendRequest, options: SendOptions) => Promise<OutgoingSms[]>;

/** Problems with `chunkSize` and `concurrency`. */
export function bulkOptionProblems({
  chunkSize = DEFAULTS.chunkSize,
  concurrency = DEFAULTS.concurrency,
}: BulkSendOptions): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1 && chunkSize <= LARGEST_CHUNK_SIZE)) {
    problems.push({ path: "chunkSize", message: `must be a whole number from 1 to ${LARGEST_CHUNK_SIZE}` });
  }
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    problems.push({ path: "concurrency", message: "must be a whole number of 1 or more" });
  }
  return problems;
}

/**
 * Sends a prepared body (validated, phones normalized, options checked by bulkOptionProblems) in chunks; see
 * `Ip1Client.sendNkiBulk`. Throws Ip1ValidationError, before sending anything, when a chunk would exceed
 * `maxRequestBytes`.
 */
export async function sendInChunks(
  send: Send,
  { body, duplicates }: PreparedSend,
  maxRequestBytes: number,
  options: BulkSendOptions = {},
  ledger?: LedgerUse,
): Promise<BulkResult> {
  const {
    chunkSize = DEFAULTS.chunkSize,
    concurrency = DEFAULTS.concurrency,
    include,
    continueOnError,
    onProgress,
    keepMessages = true,
    defaultCountry: _usedByPrepare,
    duplicatePhones: _usedByPrepareToo,
    ...call
  } = options;
  const users = body.Users;
  const chunksTotal = Math.ceil(users.length / chunkSize);
  const leftOut = new Set(duplicates.map((duplicate) => duplicate.index));
  const chunkCandidates = (start: number, end: number) => {
    const candidates: Candidate[] = [];
    for (let index = start; index < end; index++) {
      if (!leftOut.has(index)) candidates.push({ index, user: users[index] as NkiUser });
    }
    return candidates;
  };
  const tooBig = oversizedChunks(body, chunksTotal, chunkSize, leftOut, maxRequestBytes);
  if (tooBig.length) throw new Ip1ValidationError(tooBig);
  const chunks: BulkChunkResult[] = [];
  // Without keepMessages, the records that need attention are kept here as chunks finish; the rest are dropped.
  const attention: RecipientSummary = summarize([]);
  const recipientCounts: BulkResult["recipients"] = { sent: 0, failed: 0, refused: 0, unknown: 0, held: 0 };
  const held: BulkResult["held"] = {};
  let next = 0;
  let chunksDone = 0;
  let stopped = false;
  let callbackError: unknown;

  // Called once the chunk's outcomes are recorded (with a ledger), so a throwing callback cannot lose one.
  const finish = (chunk: BulkChunkResult) => {
    for (const recipient of chunk.recipients ?? []) {
      recipientCounts[recipient.outcome]++;
      if (recipient.heldAs) held[recipient.heldAs] = (held[recipient.heldAs] ?? 0) + 1;
    }
    if (keepMessages) chunks[chunk.index] = chunk;
    else {
      const { messages, recipients: _reported, ...kept } = chunk;
      chunks[chunk.index] = kept;
      const sorted = summarize(messages ?? []);
      attention.total += sorted.total;
      attention.failed.push(...sorted.failed);
      attention.unknown.push(...sorted.unknown);
    }
    try {
      onProgress?.({ chunk, chunksDone: ++chunksDone, chunksTotal });
    } catch (error) {
      // A throwing callback stops new chunks; the error surfaces once the chunks in flight have ended.
      callbackError ??= error;
      stopped = true;
    }
  };

  async function worker() {
    while (next < chunksTotal) {
      const index = next++;
      const start = index * chunkSize;
      const end = Math.min(start + chunkSize, users.length);
      if (stopped || call.signal?.aborted || (include && !include(index))) {
        finish({ index, start, end, outcome: "skipped" });
        continue;
      }
      let toSend = chunkCandidates(start, end);
      if (toSend.length === 0) {
        finish({ index, start, end, outcome: "sent", messages: [], recipients: [] });
        continue;
      }
      let heldHere: RecipientResult[] = [];
      if (ledger) {
        try {
          ({ claimed: toSend, held: heldHere } = await claimRecipients(ledger, toSend));
        } catch (caught) {
          // The ledger would fail every chunk alike: nothing of this one was sent, and no new one starts.
          stopped = true;
          finish({ index, start, end, outcome: "failed", error: asIp1Error(caught), recipients: [] });
          continue;
        }
        if (toSend.length === 0) {
          finish({ index, start, end, outcome: "skipped", recipients: heldHere });
          continue;
        }
      }
      const sent = sentRecipients(toSend);
      let chunk: BulkChunkResult;
      let results: RecipientResult[];
      try {
        const messages = await send({ ...body, Users: toSend.map((candidate) => candidate.user) }, call);
        const matched = outcomesOfAnswer(sent, messages);
        results = matched.results;
        chunk = { index, start, end, outcome: "sent", messages };
        if (matched.unexpected.length) chunk.unexpected = matched.unexpected;
      } catch (caught) {
        const error = asIp1Error(caught);
        if (stopsTheRun(error, continueOnError)) stopped = true;
        results = outcomesOfError(sent, error);
        chunk = { index, start, end, outcome: chunkOutcomeOf(error), error };
      }
      if (ledger) {
        try {
          await recordOutcomes(ledger, results);
        } catch (caught) {
          stopped = true;
          chunk.ledgerError = asIp1Error(caught); // an Ip1LedgerError from recordOutcomes
        }
      }
      chunk.recipients = heldHere.length ? mergeByIndex(heldHere, results) : results;
      finish(chunk);
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, chunksTotal) }, worker));
  if (callbackError !== undefined) throw callbackError;
  return {
    chunks,
    summary: keepMessages ? summarize(messagesOf(chunks)) : attention,
    duplicates,
    recipients: recipientCounts,
    held,
    stopped,
  };
}

/** Two lists, each in `Users` order, as one. */
function mergeByIndex(a: RecipientResult[], b: RecipientResult[]): RecipientResult[] {
  const merged: RecipientResult[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && (a[i] as RecipientResult).index < (b[j] as RecipientResult).index);
    merged.push((next ? a[i++] : b[j++]) as RecipientResult);
  }
  return merged;
}

/**
 * The chunks whose JSON would exceed `maxRequestBytes`, as problems (each user measured once, by ChunkBytes).
 */
function oversizedChunks(
  body: NkiSendRequest,
  chunksTotal: number,
  chunkSize: number,
  leftOut: ReadonlySet<number>,
  maxRequestBytes: number,
): Ip1Problem[] {
  const bytes = new ChunkBytes(body);
  const problems: Ip1Problem[] = [];
  for (let index = 0; index < chunksTotal; index++) {
    const start = index * chunkSize;
    const end = Math.min(start + chunkSize, body.Users.length);
    for (let i = start; i < end; i++) if (!leftOut.has(i)) bytes.add(body.Users[i] as NkiUser);
    const path = chunksTotal === 1 ? "body" : `chunk ${index} (Users[${start}] to Users[${end - 1}])`;
    problems.push(...requestSizeProblems(bytes.end(), maxRequestBytes, path));
  }
  return problems;
}

function* messagesOf(chunks: BulkChunkResult[]) {
  for (const chunk of chunks) if (chunk.messages) yield* chunk.messages;
}
