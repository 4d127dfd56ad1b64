// Every option, documented once where it is declared. Types only: they are merged with the environment and the
// defaults (defaults.ts) in client-options.ts.
import type { HeadersOptions } from "openapi-fetch";
import type { BulkProgress } from "./bulk-result.js";
import type { Ip1Error } from "./errors.js";
import type { Ledger } from "./ledger/ledger.js";
import type { PhoneCountry } from "./phone.js";

/** Where the client reads `IP1_*` settings from when an option is not given. */
export type Ip1Environment = Record<string, string | undefined>;

/**
 * How recipients' phone numbers are read and de-duplicated. Set on the client; a call's own value wins.
 */
export interface RecipientOptions {
  /**
   * The country whose national numbers are accepted (ISO 3166-1 alpha-2, such as `SE`): `070-123 45 67` is then sent
   * as `+46701234567`. Default: none, so every number must be international (`+46…` or `0046…`).
   */
  defaultCountry?: PhoneCountry | undefined;
  /**
   * What to do when two recipients have the same phone number once normalized (`+46 70-000 00 01` and
   * `0046700000001` are the same person), within a request or across all chunks of `sendNkiBulk`:
   * - `"reject"` (default): an `Ip1ValidationError` naming both positions, and nothing is sent;
   * - `"keep-first"`: the first is sent and the others are not; `sendNkiBulk` lists them in `result.duplicates`
   *   (`sendNki` resolves to the records alone: call `dedupeByPhone` on normalized users to see who was left out).
   */
  duplicatePhones?: "reject" | "keep-first" | undefined;
}

/** Every optional option also takes `undefined`, meaning "not given" (so `apiKey: process.env.IP1_API_KEY` compiles). */
export interface Ip1ClientOptions extends RecipientOptions {
  /**
   * Your IP1 account id (for example `ip1-12345`), sent as the Basic auth user name with `apiKey` as the password.
   * Default: env `IP1_ACCOUNT`. Credentials come from the options when any of `account`, `apiKey` or `token` is
   * given there, else from the environment, never half from each; `token` wins when both kinds are given.
   */
  account?: string | undefined;
  /** Your IP1 API key, the Basic auth password. Default: env `IP1_API_KEY`. */
  apiKey?: string | undefined;
  /** An IP1 API key sent as `Authorization: Bearer <token>`. Default: env `IP1_TOKEN`. */
  token?: string | undefined;
  /**
   * The API's origin. Default: env `IP1_BASE_URL`, else `https://api.ip1sms.com`.
   * Must be `https`; `http` is accepted only for loopback hosts (127.0.0.0/8, `localhost`, `[::1]`), such as a
   * local mock, so credentials never cross a network unencrypted.
   */
  baseUrl?: string | undefined;
  /**
   * Milliseconds to wait for each request's answer before giving up with `Ip1TimeoutError`. Default: 30 000.
   * A whole number from 1 to 2 147 483 647 (about 24.8 days, the longest timer JavaScript keeps); write `false` for
   * no timeout. Anything else is an `Ip1ConfigurationError` when the client is made.
   */
  timeoutMs?: number | false | undefined;
  /**
   * How many times to retry a request that certainly was not processed: a refused connection or failed DNS
   * lookup, or a 429 (after `Retry-After`). Default: 2. Timeouts, resets and 5xx are never retried by default.
   * Reads of the sent log (`getSentSms`, …) text nobody, so they are retried after those too (see retry.ts).
   */
  maxRetries?: number | undefined;
  /**
   * The longest wait before a retry, in milliseconds; caps both the exponential backoff and `Retry-After`.
   * Default: 60 000.
   */
  maxRetryDelayMs?: number | undefined;
  /**
   * RISKY: also retry failures whose outcome is unknown (timeouts, connection resets, 5xx). IP1 has no
   * idempotency key, so such a retry can text every recipient of the request twice. Default: false.
   */
  dangerouslyRetryUnknownOutcome?: boolean | undefined;
  /** Called before each retry with the failure, the retry number (1, 2, …) and the wait; for logging. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** The `fetch` that performs requests, for example a mock in tests. Default: `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** The `User-Agent` header. Default: `ip1-nki/<version>`. */
  userAgent?: string | undefined;
  /**
   * Headers added to every request; a per-call header of the same name wins, and `null` removes one. An
   * `Authorization` here is the credential, sent as given (any scheme), instead of `account`/`apiKey` or `token`:
   * given with one of those it is an `Ip1ConfigurationError` (two credentials are ambiguous). Authorization,
   * Proxy-Authorization and any header whose name says key, token, secret or signature are treated as secrets.
   */
  headers?: HeadersOptions | undefined;
  /** Where to read `IP1_ACCOUNT`, `IP1_API_KEY`, `IP1_TOKEN` and `IP1_BASE_URL`. Default: `process.env`. */
  env?: Ip1Environment | undefined;
  /**
   * The largest request body the client sends, in bytes of JSON (each chunk of `sendNkiBulk` counts alone). A larger
   * one is an `Ip1ValidationError` naming this limit, and nothing is sent. Default: 1 048 576 (1 MiB): a full chunk
   * of 1000 recipients with every field at the spec's maximum length is about a third of it, so only an unusual input
   * (such as a megabyte in `Extra`) reaches it. Part of the client policy (see `policy.ts`).
   */
  maxRequestBytes?: number | undefined;
  /**
   * The longest answer the client reads, in bytes. A longer one is abandoned as soon as it passes the limit (by its
   * `Content-Length`, or while reading), as an `Ip1ApiError` with outcome `"unknown"`: IP1 answered, but what it said
   * was not read. Default: 16 777 216 (16 MiB): 1000 records that each repeat a 2000-character message, escaped as
   * JSON, stay under it.
   */
  maxResponseBytes?: number | undefined;
}

/** Details of a retry, passed to {@link Ip1ClientOptions.onRetry}. */
export interface RetryEvent {
  /** Why the previous attempt failed; its `outcome` is `"not-sent"` unless retries were dangerously widened. */
  error: Ip1Error;
  /** 1 for the first retry. */
  retry: number;
  /** How long the client waits before the retry. */
  delayMs: number;
}

export interface SendOptions extends RecipientOptions {
  /** Aborts the request (and any wait before a retry); the call then throws `Ip1AbortError`. */
  signal?: AbortSignal | undefined;
  /** This call's timeout in milliseconds (or `false` for none), instead of the client's `timeoutMs`. */
  timeoutMs?: number | false | undefined;
  /**
   * Headers for this call only; they win over the client's, and `null` removes one (even `Authorization`). Secret-
   * looking ones (as in the client's `headers`) are redacted from this call's errors.
   */
  headers?: HeadersOptions | undefined;
  /**
   * The send ledger (from `openLedger`), so that each person gets one text per survey round, whatever process,
   * machine or retry sends it. Before each request, its recipients are claimed in one committed transaction; after
   * the answer, each one's outcome is recorded (see `RecipientResult`), before `onProgress` or the caller hears of it.
   * A recipient the ledger holds as sent, in flight or unknown for this target, NKI and round is not sent:
   * `sendNki` then sends nothing and throws `Ip1LedgerRefusalError`; `sendNkiBulk` sends the others and reports the
   * held ones. Default: none (no ledger).
   */
  ledger?: Ledger | undefined;
  /**
   * With `ledger`: the survey round, for example a campaign or ticket id. A new round texts people again on
   * purpose; the same round never does by accident. 1 to 200 characters. Default: `"default"`.
   */
  round?: string | undefined;
  /** With `ledger`: also send to recipients it holds as sent in this round (a deliberate second text). Default: false. */
  sendAgain?: boolean | undefined;
  /**
   * With `ledger`: also send to recipients it holds as in flight or unknown in this round. They may already have
   * been texted (a crash or a timeout left their outcome open), so they may get the text twice. Default: false.
   */
  forceUnknown?: boolean | undefined;
  /**
   * With `ledger`: the target the texts are recorded under. Default: `canonicalTarget(baseUrl)`, the client's base
   * URL's origin (every loopback spelling of one port is one target).
   */
  ledgerTarget?: string | undefined;
  /** With `ledger`: the source line (for example the CSV line) of `Users[index]`, kept in the ledger for reports. */
  lineOf?: ((index: number) => number | undefined) | undefined;
}

export interface BulkSendOptions extends SendOptions {
  /** Recipients per request, 1 to 1000 (IP1 recommends at most 1000). Default: 1000. */
  chunkSize?: number | undefined;
  /** How many requests may be in flight at once. Default: 2. */
  concurrency?: number | undefined;
  /**
   * Send only the chunks for which this returns true (for example to resume from a journal); the others are
   * reported as `"skipped"`. Chunk `i` holds `Users[i * chunkSize]` up to, not including, `Users[(i + 1) * chunkSize]`.
   */
  include?: ((chunkIndex: number) => boolean) | undefined;
  /**
   * Keep sending later chunks after any failed or unknown chunk. Default: false, which keeps going only after a 400
   * (a problem with that chunk's recipients) and otherwise starts no new chunk, so a failing server leaves as few
   * unknown chunks as possible. A chunk with an unknown outcome is never retried either way.
   */
  continueOnError?: boolean | undefined;
  /** Called as each chunk finishes, in completion order; lets a caller stream results (for example to a journal). */
  onProgress?: ((progress: BulkProgress) => void) | undefined;
  /**
   * Keep every returned record in the result. Default: true. With false, each chunk's records reach only
   * `onProgress`; the result's chunks carry no `messages`, and its `summary` keeps only the records that need
   * attention (`failed` and `unknown` Status, in completion order, never hidden) while `total` still counts all. For
   * callers that stream records elsewhere (a journal, a database) and need no second copy in the result.
   */
  keepMessages?: boolean | undefined;
}
