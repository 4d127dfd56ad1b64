// Reads of IP1's sent log (the spec's `getSentSms`, `listSentSmsInBundle`, `listSentSms`): the only record of whether
// a text went out after an unknown answer, and of how far it got. A read texts nobody, so it is retried after a
// timeout, a reset or a 5xx (retry.ts, kind "read"); its errors are the client's typed errors, redacted the same way.
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { validateGetSentSmsPathParams, validateListSentSmsInBundlePathParams } from "../generated/validators.js";
import { type ResolvedClientOptions, timeoutProblems } from "./client-options.js";
import {
  Ip1AbortError,
  Ip1ApiError,
  Ip1ConfigurationError,
  Ip1ConnectionError,
  Ip1Error,
  type Ip1Problem,
  Ip1TimeoutError,
  Ip1ValidationError,
} from "./errors.js";
import { errorCode, notSentCodes } from "./network-codes.js";
import { withRetries } from "./retry.js";
import { requestSignal } from "./timeout.js";
import { readLimited } from "./transport.js";
import type { LoggedOutgoingSms } from "./types-entry.js";

/** Options of one read of the sent log. */
export interface ReadOptions {
  /** Aborts the read (and any wait before a retry); the call then throws `Ip1AbortError`. */
  signal?: AbortSignal | undefined;
  /** This read's timeout in milliseconds (or `false` for none), instead of the client's `timeoutMs`. */
  timeoutMs?: number | false | undefined;
}

/**
 * A search of the sent log. IP1 documents no time filter for `GET /api/sms/sent` (see the spec), so `to` and `from`
 * go to IP1 and the time window is applied here, to each record's `Created`.
 */
export interface SentSmsQuery {
  /** Recipients (as IP1 records them: E.164, such as `+46701234567`); IP1 filters by them (an inference, see spec). */
  to?: readonly string[] | undefined;
  /** Senders (`From`); IP1 filters by them (an inference, see the spec). */
  from?: readonly string[] | undefined;
  /**
   * Keep only records `Created` at or after this time (a Date, or an ISO 8601 text). Applied by the client; a record
   * whose `Created` is missing or unreadable is left out once a window is given, since it cannot be placed in it.
   */
  createdFrom?: Date | string | undefined;
  /** Keep only records `Created` at or before this time; as `createdFrom`. */
  createdUntil?: Date | string | undefined;
}

export interface SentLogReader {
  /** One sent SMS by its ID (`OutgoingSms.ID`), as IP1's log holds it now. */
  getSentSms(id: number, options?: ReadOptions): Promise<LoggedOutgoingSms>;
  /** Every SMS of one bundle (`OutgoingSms.BundleID`: one send request), as IP1's log holds them now. */
  listSentSmsInBundle(bundleId: number, options?: ReadOptions): Promise<LoggedOutgoingSms[]>;
  /** Sent SMS by recipient and sender (filtered by IP1) and time (filtered here); see {@link SentSmsQuery}. */
  searchSentSms(query: SentSmsQuery, options?: ReadOptions): Promise<LoggedOutgoingSms[]>;
}

type Fetch = (request: Request) => Promise<Response>;
/** What openapi-fetch is given for one read: the abort signal, and a fetch that reads the answer within the limit. */
type ReadInit = { signal: AbortSignal; parseAs: "text"; redirect: "manual"; fetch: Fetch };

export function createSentLogReader(raw: Client<paths>, resolved: ResolvedClientOptions, baseFetch: Fetch) {
  const { redactor, limits } = resolved;

  /** One read: the parsed 200 body, or a typed error. */
  async function readOnce(run: (init: ReadInit) => Promise<{ response: Response }>, call: ReadOptions) {
    if (call.signal?.aborted) throw new Ip1AbortError("not-sent", call.signal.reason);
    const callTimeoutMs = call.timeoutMs ?? resolved.timeoutMs;
    const request = requestSignal(callTimeoutMs, call.signal);
    let handedToFetch = false;
    let text: string | undefined;
    let response: Response;
    try {
      ({ response } = await run({
        signal: request.signal,
        parseAs: "text",
        // Never follow: the answer would pass for IP1's (see Ip1RedirectError).
        redirect: "manual",
        fetch: async (outgoing) => {
          handedToFetch = true;
          const answer = await baseFetch(outgoing);
          text = await readLimited(answer, limits.maxResponseBytes, redactor);
          return new Response(null, { status: answer.status, headers: answer.headers });
        },
      }));
    } catch (cause) {
      if (cause instanceof Ip1Error) throw cause;
      if (request.timedOut) throw new Ip1TimeoutError(callTimeoutMs as number);
      if (request.signal.aborted) throw new Ip1AbortError("unknown", call.signal?.reason);
      if (!handedToFetch) {
        throw new Ip1ConfigurationError(
          `The request could not be made: ${redactor.text(cause instanceof Error ? cause.message : String(cause))}`,
          "request-not-made",
        );
      }
      const code = errorCode(cause);
      throw new Ip1ConnectionError(
        resolved.baseUrl,
        cause,
        code,
        code && notSentCodes.has(code) ? "not-sent" : "unknown",
      );
    } finally {
      request.dispose();
    }
    const parsed = parseJson(text ?? "");
    if (response.status === 200 && parsed !== undefined) return parsed;
    const body = parsed === undefined ? redactor.text(text ?? "") : redactor.value(parsed);
    throw Ip1ApiError.generate(response.status, body, redactor.headers(response.headers));
  }

  /** A read, checked, retried as reads are, and its 200 body checked for the shape the caller expects. */
  async function read<T>(
    run: (init: ReadInit) => Promise<{ response: Response }>,
    call: ReadOptions,
    isExpected: (body: unknown) => body is T,
  ): Promise<T> {
    const problems = timeoutProblems(call.timeoutMs, "timeoutMs");
    if (problems.length) throw new Ip1ValidationError(problems);
    const body = await withRetries(() => readOnce(run, call), resolved.retry, call.signal, "read");
    // A 200 that is not the documented shape: IP1 answered, but not with what the spec says.
    if (!isExpected(body)) throw Ip1ApiError.generate(200, redactor.value(body), new Headers());
    return body;
  }

  const reader: SentLogReader = {
    async getSentSms(id, call = {}) {
      checkId(validateGetSentSmsPathParams({ id }), "id", "IP1's message ID (OutgoingSms.ID)");
      return read((init) => raw.GET("/api/sms/sent/{id}", { params: { path: { id } }, ...init }), call, isRecord);
    },
    async listSentSmsInBundle(bundle, call = {}) {
      checkId(validateListSentSmsInBundlePathParams({ bundle }), "bundleId", "IP1's bundle ID (OutgoingSms.BundleID)");
      return read(
        (init) => raw.GET("/api/sms/sent/bundle/{bundle}", { params: { path: { bundle } }, ...init }),
        call,
        isRecordList,
      );
    },
    async searchSentSms(query, call = {}) {
      const problems = queryProblems(query);
      if (problems.length) throw new Ip1ValidationError(problems);
      const filters = {
        ...(query.to?.length ? { to: [...query.to] } : {}),
        ...(query.from?.length ? { from: [...query.from] } : {}),
      };
      const records = await read(
        (init) => raw.GET("/api/sms/sent", { params: { query: filters }, ...init }),
        call,
        isRecordList,
      );
      return inWindow(records, timeOf(query.createdFrom), timeOf(query.createdUntil));
    },
  };
  return reader;
}

/** The records `Created` within [from, until]; with no bound given, every record. */
export function inWindow(records: LoggedOutgoingSms[], from?: number, until?: number): LoggedOutgoingSms[] {
  if (from === undefined && until === undefined) return records;
  return records.filter((record) => {
    const created = typeof record.Created === "string" ? Date.parse(record.Created) : Number.NaN;
    if (Number.isNaN(created)) return false;
    return (from === undefined || created >= from) && (until === undefined || created <= until);
  });
}

function checkId(valid: boolean, path: string, what: string): void {
  if (!valid) throw new Ip1ValidationError([{ path, message: `must be ${what}: a whole number up to 2147483647` }]);
}

function queryProblems(query: SentSmsQuery): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  for (const key of ["to", "from"] as const) {
    const list = query[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === "string" && item))) {
      problems.push({ path: key, message: "must be a list of non-empty texts" });
    }
  }
  for (const key of ["createdFrom", "createdUntil"] as const) {
    const value = query[key];
    if (value !== undefined && Number.isNaN(timeOf(value))) {
      problems.push({ path: key, message: "must be a Date or an ISO 8601 date and time such as 2026-03-02T09:15:00Z" });
    }
  }
  return problems;
}

function timeOf(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
}

const isRecord = (body: unknown): body is LoggedOutgoingSms =>
  typeof body === "object" && body !== null && !Array.isArray(body);
const isRecordList = (body: unknown): body is LoggedOutgoingSms[] => Array.isArray(body) && body.every(isRecord);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
