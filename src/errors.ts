// The one error hierarchy of the client. Every error says whether the request could have reached IP1 (`outcome`),
// because the send is not idempotent: a caller must never resend after an "unknown" outcome without checking.
// No error stores the request, its headers or the client options, so credentials cannot leak through an error.
import type { TextState } from "./ledger/ledger.js";

/**
 * What happened to the request that failed:
 * - `"not-sent"`: IP1 certainly did not process it (nothing was sent, or IP1 refused it). Safe to fix and resend.
 * - `"unknown"`: IP1 may have processed it, and people may have been texted. Check (for example in IP1's portal)
 *   before resending, or recipients may get the SMS twice.
 */
export type Ip1Outcome = "not-sent" | "unknown";

/**
 * The one rule for an HTTP answer's outcome: the statuses known to mean "IP1 did not process this request". Every
 * status not listed here, including any IP1 may add, is "unknown", whether or not it has an error class of its own: a
 * class names a status, the table decides its outcome. A 3xx is not listed: a server commonly answers 303 See Other
 * to a POST it has processed, so a redirect is no proof that nothing was sent (the client never follows one).
 */
export const notProcessedStatuses = [400, 401, 403, 404, 429] as const;

/** The outcome of an answer with this HTTP status, from {@link notProcessedStatuses}. */
export function outcomeOfStatus(status: number): Ip1Outcome {
  return (notProcessedStatuses as readonly number[]).includes(status) ? "not-sent" : "unknown";
}

const unknownHint = " The request may have been processed: check before resending, or recipients may be texted twice.";

/**
 * Base class of every error this package throws. Carries `outcome` (see {@link Ip1Outcome}) and, where one exists,
 * the underlying `cause`. Never carries credentials: not the API key, token or Authorization header.
 */
export class Ip1Error extends Error {
  override name = "Ip1Error";
  readonly outcome: Ip1Outcome;

  constructor(message: string, outcome: Ip1Outcome, options?: { cause?: unknown }) {
    super(outcome === "unknown" ? message + unknownHint : message, options);
    this.outcome = outcome;
  }

  /** A plain, loggable copy: the error's own fields (name, outcome, …) and its message. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
  }
}

/** A problem with the caller's input, named by its path (`Users[0].Phone`, `nki`, `chunkSize`). */
export interface Ip1Problem {
  path: string;
  message: string;
}

/**
 * The input is invalid, so nothing was sent (`outcome: "not-sent"`). `problems` lists every problem with its path;
 * the message shows the first 20. Carries only paths and messages, never the input values or credentials.
 */
export class Ip1ValidationError extends Ip1Error {
  override name = "Ip1ValidationError";
  readonly problems: Ip1Problem[];

  constructor(problems: Ip1Problem[]) {
    const listed = problems.slice(0, 20).map((p) => `\n  ${p.path}: ${p.message}`);
    const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : "";
    super(`Invalid input, nothing was sent:${listed.join("")}${more}`, "not-sent");
    this.problems = problems;
  }
}

/**
 * What is wrong with the client's configuration, one code per rule (the message says it in words, with the fix):
 * - `"missing-credentials"`: no credential at all: none of `account`/`apiKey`, `token` or `headers.Authorization` in
 *   the options, and none of `IP1_ACCOUNT`/`IP1_API_KEY` or `IP1_TOKEN` in the environment.
 * - `"incomplete-credentials"`: half of a Basic credential, `account` without `apiKey` or the reverse (from the
 *   options, or from the environment when the options give none). `fields` names the missing half, then the given one.
 * - `"both-credentials"`: `headers.Authorization` given along with `account`, `apiKey` or `token`; neither may win.
 * - `"invalid-credential"`: a credential that cannot go in a header (a control character, a character outside
 *   printable ASCII, a space at either end), an account id holding ":" (Basic auth), or an empty Authorization header.
 * - `"invalid-base-url"`: the base URL is not a URL.
 * - `"unsafe-base-url"`: the base URL would expose the credentials: user info in it (`user:password@`), or a scheme
 *   other than https (http is allowed for loopback hosts only).
 * - `"invalid-option"`: any other option (or a mock's or a ledger's setting) out of its range or type.
 * - `"request-not-made"`: the request could not be built or handed to `fetch` (such as a port on fetch's list of bad
 *   ports); a retry would fail the same way.
 */
export type Ip1ConfigurationCode =
  | "missing-credentials"
  | "incomplete-credentials"
  | "both-credentials"
  | "invalid-credential"
  | "invalid-base-url"
  | "unsafe-base-url"
  | "invalid-option"
  | "request-not-made";

/**
 * The client is misconfigured (missing credentials, an unsafe or malformed base URL, a bad option); nothing was sent.
 * `code` says which rule was broken (see {@link Ip1ConfigurationCode}), `fields` the options or environment variables
 * concerned, by name. The message says what is missing and how to set it, never the secret values themselves.
 */
export class Ip1ConfigurationError extends Ip1Error {
  override name = "Ip1ConfigurationError";
  /** Which rule was broken, for callers that word it themselves (the CLI does). */
  readonly code: Ip1ConfigurationCode;
  /** The options (`apiKey`, `timeoutMs`) or environment variables (`IP1_API_KEY`) concerned, by name; may be empty. */
  readonly fields: readonly string[];

  constructor(message: string, code: Ip1ConfigurationCode = "invalid-option", fields: readonly string[] = []) {
    super(message, "not-sent");
    this.code = code;
    this.fields = fields;
  }
}

/**
 * IP1 answered with an error status, or with a body the client cannot use. Carries the `status`, the parsed `body`
 * (JSON when it parses, else the text), the response `headers`, and the server's `Message` (or a short excerpt of a
 * non-JSON body, such as an HTML error page) inside `message`. Never carries the request, its headers or credentials.
 * A 2xx whose body is not a list of messages (truncated, not JSON) also gives this class, with an unknown outcome, and
 * so does an answer longer than `maxResponseBytes` (the client stops reading it; `body` is then undefined).
 * The outcome comes from {@link outcomeOfStatus}: 400, 401, 403, 404 and 429 are `"not-sent"`, every other status
 * (3xx included) `"unknown"`. Server-derived text (`body`, `headers`, the message) has the client's credentials redacted.
 */
export class Ip1ApiError extends Ip1Error {
  override name = "Ip1ApiError";
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;

  constructor(status: number, body: unknown, headers: Headers, oversizeLimit?: number) {
    super(
      oversizeLimit === undefined
        ? `IP1 answered ${status}${status < 300 ? " with a body that is not a list of messages" : ""}: ${describeBody(body)}`
        : `IP1 answered ${status}, but with a body over the ${oversizeLimit}-byte limit (maxResponseBytes); the client stopped reading it.`,
      // Whatever the status says, an answer the client could not read to the end cannot prove nothing was sent.
      oversizeLimit === undefined ? outcomeOfStatus(status) : "unknown",
    );
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  override toJSON(): Record<string, unknown> {
    const headers: Record<string, string> = {};
    this.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { ...super.toJSON(), headers };
  }

  /** An answer longer than `limit` bytes, abandoned unread: outcome "unknown", since IP1 did answer. */
  static oversized(status: number, headers: Headers, limit: number): Ip1ApiError {
    return new Ip1ApiError(status, undefined, headers, limit);
  }

  /** The one place that maps a status to its class. The class never decides the outcome (see outcomeOfStatus). */
  static generate(status: number, body: unknown, headers: Headers): Ip1ApiError {
    if (status >= 300 && status < 400) return new Ip1RedirectError(status, body, headers);
    const ErrorClass = status >= 500 ? Ip1ServerError : apiErrorByStatus[status] || Ip1ApiError;
    return new ErrorClass(status, body, headers);
  }
}

/** 400: the posted data is faulty, or no recipients remain after IP1's blacklist. Nothing was sent. */
export class Ip1BadRequestError extends Ip1ApiError {
  override name = "Ip1BadRequestError";
}
/** 401: wrong or missing credentials. Nothing was sent. */
export class Ip1AuthenticationError extends Ip1ApiError {
  override name = "Ip1AuthenticationError";
}
/** 403: no credits left on the account. Nothing was sent. */
export class Ip1NoCreditsError extends Ip1ApiError {
  override name = "Ip1NoCreditsError";
}
/** 404: no such NKI (or path). Nothing was sent. */
export class Ip1NotFoundError extends Ip1ApiError {
  override name = "Ip1NotFoundError";
}
/** 429: too many requests. Nothing was sent; the client retries these itself, honouring `Retry-After`. */
export class Ip1RateLimitError extends Ip1ApiError {
  override name = "Ip1RateLimitError";
}
/**
 * 3xx: the server answered with a redirect. The client never follows one: a followed redirect would post the
 * recipients' names and numbers to another host, and its answer would pass for IP1's. A redirect is no proof that
 * nothing was sent (a server commonly answers 303 See Other to a POST it has processed), so `outcome` is `"unknown"`:
 * check before resending. `location` is the redirect target's origin only (never its path or query).
 */
export class Ip1RedirectError extends Ip1ApiError {
  override name = "Ip1RedirectError";

  get location(): string | undefined {
    const target = this.headers.get("location");
    if (!target) return undefined;
    try {
      return new URL(target).origin;
    } catch {
      return undefined;
    }
  }
}
/** 5xx: IP1 failed, possibly after sending some SMS, so `outcome` is `"unknown"` and it is never retried by default. */
export class Ip1ServerError extends Ip1ApiError {
  override name = "Ip1ServerError";
}

// The statuses with a class of their own; their outcome still comes from notProcessedStatuses.
const apiErrorByStatus: Record<number, typeof Ip1ApiError> = {
  400: Ip1BadRequestError,
  401: Ip1AuthenticationError,
  403: Ip1NoCreditsError,
  404: Ip1NotFoundError,
  429: Ip1RateLimitError,
};

/**
 * No answer within `timeoutMs`. The request may have reached IP1, so `outcome` is `"unknown"`: check before resending.
 * Carries no credentials.
 */
export class Ip1TimeoutError extends Ip1Error {
  override name = "Ip1TimeoutError";

  constructor(timeoutMs: number) {
    super(`IP1 did not answer within ${timeoutMs} ms.`, "unknown");
  }
}

/**
 * The network failed. `outcome` is `"not-sent"` when the connection was refused or DNS failed before any byte was
 * sent (`code` is ECONNREFUSED, ENOTFOUND or EAI_AGAIN), and `"unknown"` otherwise (for example a reset after the
 * body was sent). Carries the underlying `cause` and its `code`, never credentials.
 */
export class Ip1ConnectionError extends Ip1Error {
  override name = "Ip1ConnectionError";
  readonly code: string | undefined;

  constructor(origin: string, cause: unknown, code: string | undefined, outcome: Ip1Outcome) {
    super(`Could not reach ${origin} (${code ?? String(cause)}).`, outcome, { cause });
    this.code = code;
  }
}

/**
 * The caller's `signal` aborted. `outcome` is `"unknown"` when a request was in flight, `"not-sent"` when the abort
 * came before sending or while waiting to retry. The signal's `reason` is the `cause`. Carries no credentials.
 */
export class Ip1AbortError extends Ip1Error {
  override name = "Ip1AbortError";

  constructor(outcome: Ip1Outcome, reason: unknown) {
    super("The request was aborted by the caller.", outcome, { cause: reason });
  }
}

/**
 * The send ledger cannot be used: its file is unreadable or damaged, its database unreachable, its driver missing, or
 * its file was replaced while in use. The message names the ledger (a file path, or a PostgreSQL URL without its
 * password) and what to do; a damaged ledger is never deleted or treated as empty. `outcome` is `"not-sent"` when it
 * happened before a request (claims are made before sending), `"unknown"` when an outcome could not be recorded.
 */
export class Ip1LedgerError extends Ip1Error {
  override name = "Ip1LedgerError";

  constructor(message: string, outcome: Ip1Outcome = "not-sent", options?: { cause?: unknown }) {
    super(message, outcome, options);
  }
}

/**
 * The ledger holds some recipients as already texted (or possibly texted) for this target, NKI and round, so
 * `sendNki` sent nothing (`outcome: "not-sent"`). `counts` says how many in each state; `refused` is their total. It
 * carries counts only: no phone numbers, names or credentials. To text them again on purpose, pass `sendAgain` (held
 * as sent) or `forceUnknown` (held as in flight or unknown), or start a new `round`.
 */
export class Ip1LedgerRefusalError extends Ip1Error {
  override name = "Ip1LedgerRefusalError";
  readonly counts: Partial<Record<TextState, number>>;
  readonly refused: number;

  constructor(counts: Partial<Record<TextState, number>>, of: number) {
    const refused = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
    const listed = Object.entries(counts)
      .map(([state, count]) => `${count} ${state}`)
      .join(", ");
    super(
      `The ledger already holds ${refused} of ${of} recipients for this target, NKI and round (${listed}), so nothing ` +
        "was sent. Texting them again takes sendAgain (held as sent) or forceUnknown (in-flight, unknown: they " +
        "may already have been texted), or a new round.",
      "not-sent",
    );
    this.counts = counts;
    this.refused = refused;
  }
}

function describeBody(body: unknown): string {
  const message = (body as { Message?: unknown } | null)?.Message;
  if (typeof message === "string") return message;
  const text = typeof body === "string" ? body : (JSON.stringify(body) ?? "");
  // An HTML error page says little in its markup; its text, shortened, is what a person needs to see.
  const excerpt = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return excerpt ? excerpt.slice(0, 200) : "(empty body)";
}
