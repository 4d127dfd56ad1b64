// The retry policy, in one place, by kind of request. The send is not idempotent, so by default only failures that
// certainly did not reach IP1 are retried: a refused connection, a failed DNS lookup, and a 429. A read of IP1's sent
// log (a GET) texts nobody, so it is also retried after a timeout, a reset or a 5xx.
import {
  Ip1AbortError,
  Ip1ApiError,
  Ip1ConnectionError,
  type Ip1Error,
  Ip1RateLimitError,
  Ip1ServerError,
  Ip1TimeoutError,
} from "./errors.js";
import type { RetryEvent } from "./options.js";

export interface RetryPolicy {
  maxRetries: number;
  /** Caps the backoff and Retry-After. */
  maxDelayMs: number;
  /** Also retry unknown outcomes (timeouts, resets, 5xx); risky, see Ip1ClientOptions.dangerouslyRetryUnknownOutcome. */
  retryUnknownOutcome: boolean;
  onRetry: ((event: RetryEvent) => void) | undefined;
}

/**
 * What a request does to IP1, which decides what may be retried:
 * - `"send"` (`POST …/users/send`): texts people and has no idempotency key, so an unknown outcome is never retried
 *   unless the caller dangerously opts in;
 * - `"read"` (the sent log's GETs): safe to repeat (RFC 9110 §9.2.2), so a timeout, a reset or a 5xx is retried too.
 */
export type RequestKind = "send" | "read";

const firstDelayMs = 500;

/** Runs `attempt` until it succeeds, or fails in a way the policy does not retry, or retries run out. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  kind: RequestKind = "send",
): Promise<T> {
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry > policy.maxRetries || !isRetryable(error as Ip1Error, policy.retryUnknownOutcome, kind)) throw error;
      const retryAfter = error instanceof Ip1ApiError ? retryAfterMs(error.headers.get("retry-after")) : undefined;
      const delayMs = retryDelayMs(retry, retryAfter, policy.maxDelayMs);
      policy.onRetry?.({ error: error as Ip1Error, retry, delayMs });
      await sleep(delayMs, signal);
    }
  }
}

/**
 * Whether a failure may be retried. A send: only "not-sent" ones, unless unknown outcomes were dangerously allowed.
 * A read: those, and any timeout, connection failure or 5xx (never a caller's abort, nor a 4xx other than 429).
 */
export function isRetryable(error: Ip1Error, retryUnknownOutcome: boolean, kind: RequestKind = "send"): boolean {
  if (error instanceof Ip1RateLimitError) return true;
  if (error instanceof Ip1ConnectionError && error.outcome === "not-sent") return true;
  if (kind === "read") {
    return error instanceof Ip1TimeoutError || error instanceof Ip1ConnectionError || error instanceof Ip1ServerError;
  }
  return retryUnknownOutcome && error.outcome === "unknown" && !(error instanceof Ip1AbortError);
}

/** The wait before retry number `retry` (1, 2, …): Retry-After when given, else exponential backoff with jitter. */
export function retryDelayMs(retry: number, retryAfter: number | undefined, maxDelayMs: number, random = Math.random) {
  // Up to a quarter less than the doubling step, so clients that failed together do not retry together.
  const backoff = firstDelayMs * 2 ** (retry - 1) * (1 - random() / 4);
  return Math.min(retryAfter ?? backoff, maxDelayMs);
}

/** Retry-After in milliseconds, from seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with Ip1AbortError (nothing in flight, so "not-sent") when `signal` aborts; no timer remains. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Ip1AbortError("not-sent", signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
