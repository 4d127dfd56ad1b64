// The library's defaults, in one object: the client, the bulk send and the CLI's help read them from here.
import { defaultLimits, LARGEST_CHUNK_SIZE } from "./policy.js";

/** What the client and `sendNkiBulk` use for an option that is not given (each option's JSDoc says more). */
export const DEFAULTS = {
  /** `baseUrl` (or `IP1_BASE_URL`): IP1's API. */
  baseUrl: "https://api.ip1sms.com",
  /** `timeoutMs`: per request, in milliseconds. */
  timeoutMs: 30_000,
  /** `maxRetries`: retries of a request IP1 surely did not process. */
  maxRetries: 2,
  /** `maxRetryDelayMs`: the longest wait before a retry, capping the backoff and `Retry-After`. */
  maxRetryDelayMs: 60_000,
  /** `chunkSize`: recipients per request in `sendNkiBulk` (IP1's recommendation, and the most it takes). */
  chunkSize: LARGEST_CHUNK_SIZE,
  /** `concurrency`: requests in flight at once in `sendNkiBulk`. */
  concurrency: 2,
  /** `maxRequestBytes`: the largest request body the client sends (client policy, policy.ts). */
  maxRequestBytes: defaultLimits.maxRequestBytes,
  /** `maxResponseBytes`: the largest answer the client reads. */
  maxResponseBytes: defaultLimits.maxResponseBytes,
  /** `round`: the ledger's survey round when none is named (the CLI's `--round`). */
  round: "default",
} as const;
