// Bulk sends: one validated request split into chunks of at most 1000 users (IP1's recommendation), sent with
// bounded concurrency. Chunk i is always Users[i * chunkSize, (i + 1) * chunkSize), so a journal can name chunks by
// index. Each chunk's users are sliced only when it is sent, so memory beyond the input stays one chunk per worker.
// Duplicate phones were found across all chunks before any is sent (validate.ts); with "keep-first" the later ones
// are left out of their chunk, which keeps its index and range.

import { DEFAULTS } from "./defaults.js";
import { Ip1BadRequestError, type Ip1Error, type Ip1Problem, Ip1ValidationError } from "./errors.js";
import type { BulkSendOptions, SendOptions } from "./options.js";
import type { DuplicatePhone } from "./phone.js";
import { requestSizeProblems, utf8Length } from "./policy.js";
import { type RecipientSummary, summarize } from "./status.js";
import type { NkiSendRequest, OutgoingSms } from "./types-entry.js";
import type { PreparedSend } from "./validate.js";

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
   * - `"skipped"`: this call did not send it (excluded by `include`, or no new chunk started after an error or abort).
   */
  outcome: "sent" | "failed" | "unknown" | "skipped";
  messages?: OutgoingSms[];
  error?: Ip1Error;
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
}

type Send = (body: NkiSendRequest, options: SendOptions) => Promise<OutgoingSms[]>;

/** Problems with `chunkSize` and `concurrency`. */
export function bulkOptionProblems({
  chunkSize = DEFAULTS.chunkSize,
  concurrency = DEFAULTS.concurrency,
}: BulkSendOptions): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1 && chunkSize <= 1000)) {
    problems.push({ path: "chunkSize", message: "must be a whole number from 1 to 1000" });
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
  const chunkUsers = (start: number, end: number) =>
    leftOut.size === 0 ? users.slice(start, end) : users.slice(start, end).filter((_, k) => !leftOut.has(start + k));
  const tooBig = oversizedChunks(body, chunksTotal, chunkSize, leftOut, maxRequestBytes);
  if (tooBig.length) throw new Ip1ValidationError(tooBig);
  const chunks: BulkChunkResult[] = [];
  // Without keepMessages, the records that need attention are kept here as chunks finish; the rest are dropped.
  const attention: RecipientSummary = summarize([]);
  let next = 0;
  let chunksDone = 0;
  let stopped = false;
  let callbackError: unknown;

  const finish = (chunk: BulkChunkResult) => {
    if (keepMessages || !chunk.messages) chunks[chunk.index] = chunk;
    else {
      const { messages, ...withoutMessages } = chunk;
      chunks[chunk.index] = withoutMessages;
      const sorted = summarize(messages);
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
      const toSend = chunkUsers(start, end);
      if (toSend.length === 0) {
        finish({ index, start, end, outcome: "sent", messages: [] });
        continue;
      }
      try {
        const messages = await send({ ...body, Users: toSend }, call);
        finish({ index, start, end, outcome: "sent", messages });
      } catch (caught) {
        const error = caught as Ip1Error;
        // A 400 concerns this chunk's users; anything else (auth, credits, a failing server) would hit every chunk.
        if (!continueOnError && !(error instanceof Ip1BadRequestError)) stopped = true;
        finish({ index, start, end, outcome: error.outcome === "not-sent" ? "failed" : "unknown", error });
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, chunksTotal) }, worker));
  if (callbackError !== undefined) throw callbackError;
  return { chunks, summary: keepMessages ? summarize(messagesOf(chunks)) : attention, duplicates };
}

/**
 * The chunks whose JSON would exceed `maxRequestBytes`, as problems. Each user is measured once: a chunk's body is
 * the envelope's JSON with its users' JSON, comma-separated, inside `"Users":[…]`.
 */
function oversizedChunks(
  body: NkiSendRequest,
  chunksTotal: number,
  chunkSize: number,
  leftOut: ReadonlySet<number>,
  maxRequestBytes: number,
): Ip1Problem[] {
  const envelopeBytes = utf8Length(JSON.stringify({ ...body, Users: [] }));
  const problems: Ip1Problem[] = [];
  for (let index = 0; index < chunksTotal; index++) {
    const start = index * chunkSize;
    const end = Math.min(start + chunkSize, body.Users.length);
    let bytes = envelopeBytes;
    let count = 0;
    for (let i = start; i < end; i++) {
      if (leftOut.has(i)) continue;
      bytes += utf8Length(JSON.stringify(body.Users[i])) + (count++ > 0 ? 1 : 0);
    }
    const path = chunksTotal === 1 ? "body" : `chunk ${index} (Users[${start}] to Users[${end - 1}])`;
    problems.push(...requestSizeProblems(bytes, maxRequestBytes, path));
  }
  return problems;
}

function* messagesOf(chunks: BulkChunkResult[]) {
  for (const chunk of chunks) if (chunk.messages) yield* chunk.messages;
}
