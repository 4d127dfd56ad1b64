// createIp1Client: validation and the client policy before send, typed errors with redacted server text, the retry
// policy, per-request timeouts and a transport that never replays a body. A send makes its one Request itself; the
// openapi-fetch client (`raw`) sends it only when the caller has added middleware there.
import createClient, { type Client, mergeHeaders } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { credentialGuard } from "./auth.js";
import { asIp1Error, type BulkResult, bulkOptionProblems, sendInChunks } from "./bulk.js";
import {
  ledgerOptionProblems,
  type ResolvedClientOptions,
  recipientOptionProblems,
  resolveClientOptions,
  timeoutProblems,
} from "./client-options.js";
import {
  Ip1AbortError,
  Ip1ApiError,
  Ip1ConfigurationError,
  Ip1ConnectionError,
  Ip1Error,
  Ip1LedgerRefusalError,
  Ip1TimeoutError,
  Ip1ValidationError,
} from "./errors.js";
import { asRecord, secretHeaderValues } from "./headers.js";
import type { TextState } from "./ledger/ledger.js";
import { canonicalTarget } from "./ledger/target.js";
import { type Candidate, claimRecipients, ledgerUse, recordOutcomes, sentRecipients } from "./ledger/use.js";
import { errorCode, notSentCodes } from "./network-codes.js";
import type { BulkSendOptions, Ip1ClientOptions, SendOptions } from "./options.js";
import { requestSizeProblems } from "./policy.js";
import { outcomesOfAnswer, outcomesOfError, type RecipientResult } from "./recipient-outcomes.js";
import type { Redactor } from "./redact.js";
import { secretsOfCredential } from "./redact.js";
import { withRetries } from "./retry.js";
import { createSentLogReader, type SentLogReader } from "./sent-log.js";
import { requestSignal } from "./timeout.js";
import { callerMiddleware, oneShotBody, readLimited } from "./transport.js";
import type { NkiSendRequest, OutgoingSms } from "./types-entry.js";
import { type PreparedSend, prepareSend, type RecipientRules } from "./validate.js";

/** The NKI send, and the reads of IP1's sent log (see `SentLogReader`). */
export interface Ip1Client extends SentLogReader {
  /**
   * Sends NKI `nki` to every user in `body.Users` and resolves to one record per recipient; check each record's
   * Status (see `summarize`), because a 200 can hold failed messages. Each Phone is sent in E.164. Invalid input
   * (by the spec or the client policy, or a phone given twice) throws `Ip1ValidationError` and sends nothing; other
   * failures throw an `Ip1Error` whose `outcome` says whether IP1 may have processed the request.
   */
  sendNki(nki: number, body: NkiSendRequest, options?: SendOptions): Promise<OutgoingSms[]>;
  /**
   * Sends to any number of users in chunks of at most 1000 per request, after validating every user and finding
   * duplicate phones across all chunks. Resolves (does not throw) with each chunk's outcome; throws only for invalid
   * input (`Ip1ValidationError`, nothing sent) or when `onProgress` throws. For more than 1000 users, use this.
   */
  sendNkiBulk(nki: number, body: NkiSendRequest, options?: BulkSendOptions): Promise<BulkResult>;
  /** The openapi-fetch client, typed by the spec's `paths`, with the client's base URL, headers and credential guard. */
  raw: Client<paths>;
}

const sendPath = "/api/nkis/{nki}/users/send";
const utf8 = new TextEncoder();

/** Makes a client; throws `Ip1ConfigurationError` when credentials, the base URL or an option is unusable. */
export function createIp1Client(options: Ip1ClientOptions = {}): Ip1Client {
  const resolved = resolveClientOptions(options);
  const { baseUrl, headers, timeoutMs, retry, limits } = resolved;
  const baseFetch = resolved.fetch ?? ((request: Request) => globalThis.fetch(request));
  // The raw client never follows a redirect either: undici would replay the body (and fetch the Authorization-less
  // request) to wherever the Location points. A 3xx reaches the caller as it came.
  const raw = createClient<paths>({ baseUrl, headers, fetch: (request: Request) => baseFetch(notFollowing(request)) });
  raw.use(credentialGuard(baseUrl));
  const addedMiddleware = callerMiddleware(raw);

  async function sendOnce(nki: number, bytes: Uint8Array, call: SendOptions): Promise<OutgoingSms[]> {
    if (call.signal?.aborted) throw new Ip1AbortError("not-sent", call.signal.reason);
    const redactor = callRedactor(resolved, call);
    const callTimeoutMs = call.timeoutMs ?? timeoutMs;
    const request = requestSignal(callTimeoutMs, call.signal);
    // Until fetch is called, nothing can have left the process (a URL or header that cannot be built fails first).
    let handedToFetch = false;
    let status: number;
    // The answer's text, read (within maxResponseBytes) as fetch returns; openapi-fetch, if used, gets an empty body.
    let text: string | undefined;
    let answer: unknown;
    let responseHeaders: Headers;
    try {
      const { body, length } = oneShotBody(bytes);
      if (addedMiddleware.size === 0) {
        // The one Request: built here (or by Node's fetch from these parts) and never copied, with the headers
        // openapi-fetch would merge, and the credential guard's check already met (the URL is baseUrl's own).
        const init: RequestInit & { duplex: "half" } = {
          method: "POST",
          body,
          headers: mergeHeaders({ "Content-Type": "application/json" }, headers, asRecord(call.headers)),
          duplex: "half",
          signal: request.signal,
          // Never follow: a redirect would carry the recipients' data to another host (see Ip1RedirectError).
          redirect: "manual",
        };
        (init.headers as Headers).set("content-length", length);
        const url = baseUrl + sendPath.replace("{nki}", String(nki));
        const outgoing = resolved.fetch && new Request(url, init);
        handedToFetch = true;
        const response = outgoing ? await baseFetch(outgoing) : await globalThis.fetch(url, init);
        text = await readLimited(response, limits.maxResponseBytes, redactor, !outgoing);
        status = response.status;
        answer = text;
        responseHeaders = response.headers;
      } else {
        // The caller added middleware to `raw`, which must see this request too: openapi-fetch sends it.
        // Read and parsed here rather than by openapi-fetch, so the read is bounded, and a truncated or non-JSON
        // body still yields a typed error.
        const { data, error, response } = await raw.POST(sendPath, {
          params: { path: { nki } },
          // The body is already JSON, in a stream that cannot be replayed (see transport.ts).
          body: body as never,
          bodySerializer: (stream: unknown) => stream,
          headers: asRecord(call.headers),
          duplex: "half",
          signal: request.signal,
          parseAs: "text",
          redirect: "manual",
          fetch: async (outgoing: Request) => {
            handedToFetch = true;
            outgoing.headers.set("content-length", length);
            const response = await baseFetch(outgoing);
            text = await readLimited(response, limits.maxResponseBytes, redactor);
            return new Response(null, { status: response.status, headers: response.headers });
          },
        } as never);
        status = response.status;
        // Without the text, a middleware answered instead of fetch: take what openapi-fetch read of its body.
        answer = text ?? data ?? error ?? "";
        responseHeaders = response.headers;
      }
    } catch (cause) {
      if (cause instanceof Ip1Error) throw cause;
      if (request.timedOut) throw new Ip1TimeoutError(callTimeoutMs as number);
      if (request.signal.aborted) throw new Ip1AbortError("unknown", call.signal?.reason);
      // Nothing left the process, and a retry would fail the same way: a configuration problem, not a network one.
      // The cause's text is redacted and the cause not kept, since it may quote a header value.
      if (!handedToFetch) {
        throw new Ip1ConfigurationError(
          `The request could not be made, so nothing was sent: ${redactor.text(messageOf(cause))}`,
          "request-not-made",
        );
      }
      if (refusedByFetch(cause)) {
        throw new Ip1ConfigurationError(
          `fetch refuses to connect to ${baseUrl}: its port is on fetch's list of bad ports, so nothing was sent. Use another port.`,
          "request-not-made",
          ["baseUrl"],
        );
      }
      const code = errorCode(cause);
      throw new Ip1ConnectionError(baseUrl, cause, code, code && notSentCodes.has(code) ? "not-sent" : "unknown");
    } finally {
      request.dispose();
    }
    const parsed = typeof answer === "string" ? parseJson(answer) : answer;
    if (status === 200 && Array.isArray(parsed)) return parsed as OutgoingSms[];
    // Whatever the server said goes into the error, so it is redacted first: parsed, then redacted, so that no
    // JSON escape can hide a credential.
    const body = parsed === undefined ? redactor.text(String(answer)) : redactor.value(parsed);
    throw Ip1ApiError.generate(status, body, redactor.headers(responseHeaders));
  }

  /** Checks a call's own options and the input; throws Ip1ValidationError, having sent nothing. */
  function prepare(nki: number, body: NkiSendRequest, call: SendOptions, extraProblems = bulkOptionProblems({})) {
    const rules: RecipientRules = {
      defaultCountry: call.defaultCountry ?? resolved.recipients.defaultCountry,
      duplicatePhones: call.duplicatePhones ?? resolved.recipients.duplicatePhones,
    };
    const optionProblems = [
      ...timeoutProblems(call.timeoutMs, "timeoutMs"),
      ...recipientOptionProblems(call),
      ...ledgerOptionProblems(call),
      ...extraProblems,
    ];
    if (optionProblems.length) throw new Ip1ValidationError(optionProblems);
    return prepareSend(nki, body, rules);
  }

  /** Sends the body (JSON bytes, already checked), retrying only as the policy allows. */
  function sendBytes(nki: number, bytes: Uint8Array, call: SendOptions) {
    return withRetries(() => sendOnce(nki, bytes, call), retry, call.signal);
  }

  /** The ledger's view of this call, when it has a ledger. */
  async function ledgerOf(nki: number, prepared: PreparedSend, call: SendOptions) {
    if (!call.ledger) return undefined;
    const target = call.ledgerTarget ?? canonicalTarget(baseUrl);
    return ledgerUse(call.ledger, target, nki, prepared.body, call);
  }

  return {
    raw,
    ...createSentLogReader(raw, resolved, baseFetch),
    async sendNki(nki, body, call = {}) {
      const prepared = prepare(nki, body, call);
      const sendBody = withoutDuplicates(prepared);
      const bytes = utf8.encode(JSON.stringify(sendBody));
      const tooBig = requestSizeProblems(bytes.byteLength, limits.maxRequestBytes, "body");
      if (tooBig.length) throw new Ip1ValidationError(tooBig);
      const use = await ledgerOf(nki, prepared, call);
      if (!use) return sendBytes(nki, bytes, call);
      const left = new Set(prepared.duplicates.map((duplicate) => duplicate.index));
      const candidates: Candidate[] = [];
      prepared.body.Users.forEach((user, index) => {
        if (!left.has(index)) candidates.push({ index, user });
      });
      const { claimed, held } = await claimRecipients(use, candidates);
      if (held.length) {
        // One request or none: the ones claimed go back, as certainly not sent, so a later call may claim them.
        const reason = `not sent: the ledger holds ${held.length} other recipients of this sendNki`;
        await recordOutcomes(
          use,
          sentRecipients(claimed).map(({ index, phone }) => ({ index, phone, outcome: "refused", error: reason })),
        );
        throw new Ip1LedgerRefusalError(countHeld(held), candidates.length);
      }
      const sent = sentRecipients(claimed);
      let messages: OutgoingSms[];
      try {
        messages = await sendBytes(nki, bytes, call);
      } catch (caught) {
        await recordOutcomes(use, outcomesOfError(sent, asIp1Error(caught)));
        throw caught;
      }
      await recordOutcomes(use, outcomesOfAnswer(sent, messages).results);
      return messages;
    },
    async sendNkiBulk(nki, body, call = {}) {
      const prepared = prepare(nki, body, call, bulkOptionProblems(call));
      const send = (users: NkiSendRequest, options: SendOptions) =>
        sendBytes(nki, utf8.encode(JSON.stringify(users)), options);
      return sendInChunks(send, prepared, limits.maxRequestBytes, call, await ledgerOf(nki, prepared, call));
    },
  };
}

function countHeld(held: readonly RecipientResult[]): Partial<Record<TextState, number>> {
  const counts: Partial<Record<TextState, number>> = {};
  for (const { heldAs } of held) if (heldAs) counts[heldAs] = (counts[heldAs] ?? 0) + 1;
  return counts;
}

function withoutDuplicates({ body, duplicates }: PreparedSend): NkiSendRequest {
  if (duplicates.length === 0) return body;
  const left = new Set(duplicates.map((duplicate) => duplicate.index));
  return { ...body, Users: body.Users.filter((_, index) => !left.has(index)) };
}

/** The client's redactor, widened by this call's own secret-looking headers (an Authorization replacing the client's). */
function callRedactor(resolved: ResolvedClientOptions, call: SendOptions): Redactor {
  return resolved.redactor.widen(secretHeaderValues(call.headers).flatMap((secret) => secretsOfCredential(secret)));
}

/** The request with `redirect: "manual"`, whatever a raw call asked for. */
function notFollowing(request: Request): Request {
  return request.redirect === "manual" ? request : new Request(request, { redirect: "manual" });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// fetch refuses some ports (its "bad port" list: 25, 6000, …) before connecting; undici says so in the cause.
function refusedByFetch(error: unknown): boolean {
  return (error as { cause?: { message?: unknown } } | undefined)?.cause?.message === "bad port";
}
