// Every fault the client is put through, with what must happen: this is the fault table. The family test files run
// their rows and assert them; the secret-hygiene test runs every row again, looking for the key in all the output.
import { basicCredentials, type FaultCase, validBody } from "./harness.js";

export type Family =
  | "rate-limit"
  | "server-errors"
  | "timeouts"
  | "connection"
  | "bodies"
  | "redirects"
  | "transport"
  | "input"
  | "echo";

type Outcome = "unknown" | "not-sent";

export interface Expected {
  /** The send resolves with records. */
  ok?: true;
  /** The send throws this (class name, HTTP status, outcome, network code). */
  error?: { name: string; status?: number; outcome: Outcome; code?: string };
  /** Requests that reached the server: 1 wherever a retry could text people twice. */
  requests: number;
  /** The waits the client announced before each retry (onRetry), in order. */
  retryDelaysMs: number[];
}

export interface CatalogEntry extends FaultCase {
  family: Family;
  /** The typed error (or success), the requests that reached the server, and the waits between retries. */
  expected?: Expected;
}

const throws = (error: Expected["error"], requests: number, retryDelaysMs: number[] = []): Expected => ({
  error,
  requests,
  retryDelaysMs,
});
const resolves = (requests: number, retryDelaysMs: number[] = []): Expected => ({ ok: true, requests, retryDelaysMs });
const rateLimitError = { name: "Ip1RateLimitError", status: 429, outcome: "not-sent" } as const;
const serverError = (status: number) => ({ name: "Ip1ServerError", status, outcome: "unknown" }) as const;
const unusable200 = { name: "Ip1ApiError", status: 200, outcome: "unknown" } as const;
const timeoutError = { name: "Ip1TimeoutError", outcome: "unknown" } as const;
const connectionError = (code: string, outcome: Outcome = "unknown") => ({ name: "Ip1ConnectionError", code, outcome });

const record = (Status: number) => ({ From: "Acme", Message: "Hur nöjd är du?", To: "+46701234567", Status });
const okBody = JSON.stringify([record(0)]);
const problem = (Message: string) => JSON.stringify({ Message });
const htmlPage =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>" +
  "<p>The upstream server returned an invalid response.</p></body></html>";
const rateLimited = (retryAfter: string) => ({
  answer: 429,
  headers: { "retry-after": retryAfter },
  body: problem("Slow down"),
});
const redirectTo = (status: number, host: string): CatalogEntry => ({
  family: "redirects",
  name: `${status} to ${host === "127.0.0.1" ? "another port on 127.0.0.1" : `${host} (another host)`}`,
  faults: (otherUrl) => ({ redirect: status, location: `${otherUrl}/api/nkis/42/users/send` }),
  other: { host, faults: { answer: 200, body: okBody } },
  // Refused, not followed: following would post the recipients to the other host and take its answer for IP1's. Its
  // outcome is unknown: a 303 is the usual answer to a POST that was processed.
  expected: { error: { name: "Ip1RedirectError", status, outcome: "unknown" }, requests: 1, retryDelaysMs: [] },
});

const configurationError = { name: "Ip1ConfigurationError", outcome: "not-sent" } as const;
const validationError = { name: "Ip1ValidationError", outcome: "not-sent" } as const;
const apiError = (status: number) => ({ name: "Ip1ApiError", status, outcome: "unknown" }) as const;
const { account, apiKey } = basicCredentials;
const anna = validBody.Users[0] as { FirstName: string; Phone: string };
const withUsers = (...Users: Record<string, string>[]) => ({ ...validBody, Users });
const transportCase = (
  name: string,
  faults: CatalogEntry["faults"],
  error: Expected["error"],
  requests: number,
  client?: CatalogEntry["client"],
): CatalogEntry => ({ family: "transport", name, faults, client, expected: throws(error, requests) });
const invalidInput = (name: string, body: unknown, nki?: number): CatalogEntry => ({
  family: "input",
  name,
  faults: { answer: 200, body: okBody },
  body,
  ...(nki === undefined ? {} : { nki }),
  expected: throws(validationError, 0),
});
/** A server that puts the request's Authorization value (and its base64 credential) where `place` says. */
const echo = (
  name: string,
  answer: number,
  place: (authorization: string) => { body?: string; headers?: Record<string, string> },
): CatalogEntry => ({
  family: "echo",
  name,
  faults: { answerWith: (request) => ({ answer, ...place(String(request.headers.authorization)) }) },
  expected: throws(
    answer === 200
      ? unusable200
      : answer >= 500
        ? serverError(answer)
        : { name: "Ip1BadRequestError", status: answer, outcome: "not-sent" },
    1,
  ),
});

export const faultCatalog: CatalogEntry[] = [
  {
    family: "rate-limit",
    name: "429, Retry-After: 0 (seconds), every time",
    faults: rateLimited("0"),
    expected: throws(rateLimitError, 3, [0, 0]),
  },
  {
    family: "rate-limit",
    name: "429, Retry-After: 1 (seconds), every time, maxRetries 1",
    faults: rateLimited("1"),
    client: { maxRetries: 1 },
    expected: throws(rateLimitError, 2, [1000]),
  },
  {
    family: "rate-limit",
    name: "429, Retry-After: an HTTP date in the past, every time",
    faults: rateLimited("Wed, 21 Oct 2015 07:28:00 GMT"),
    expected: throws(rateLimitError, 3, [0, 0]),
  },
  {
    family: "rate-limit",
    // The date is written when the server starts; the cap makes the wait exact (a backoff would be at most 500 ms).
    name: "429, Retry-After: an HTTP date a minute ahead, maxRetries 1, maxRetryDelayMs 1500",
    faults: () => rateLimited(new Date(Date.now() + 60_000).toUTCString()),
    client: { maxRetries: 1, maxRetryDelayMs: 1500 },
    expected: throws(rateLimitError, 2, [1500]),
  },
  {
    family: "rate-limit",
    name: "429 (Retry-After: 0) once, then 200",
    faults: [rateLimited("0"), { answer: 200, body: okBody }],
    expected: resolves(2, [0]),
  },
  {
    family: "server-errors",
    name: "500 with a JSON Message",
    faults: { answer: 500, body: problem("An error has occurred.") },
    expected: throws(serverError(500), 1),
  },
  {
    family: "server-errors",
    name: "502 with a JSON Message",
    faults: { answer: 502, body: problem("Bad gateway") },
    expected: throws(serverError(502), 1),
  },
  {
    family: "server-errors",
    name: "503 with Retry-After: 0",
    faults: { answer: 503, headers: { "retry-after": "0" }, body: problem("Service unavailable") },
    expected: throws(serverError(503), 1),
  },
  {
    family: "server-errors",
    name: "502 with an HTML page",
    faults: { answer: 502, headers: { "content-type": "text/html" }, body: htmlPage },
    expected: throws(serverError(502), 1),
  },
  {
    family: "timeouts",
    name: "no answer at all (hang), timeoutMs 300",
    faults: { hang: true },
    client: { timeoutMs: 300 },
    expected: throws(timeoutError, 1),
  },
  {
    family: "timeouts",
    name: "no answer, per-call timeoutMs 300 overrides the client's 10000",
    faults: { hang: true },
    send: { timeoutMs: 300 },
    expected: throws(timeoutError, 1),
  },
  {
    family: "timeouts",
    name: "headers trickle in and complete (~200 ms), timeoutMs 10000",
    faults: { trickleHeaders: { body: okBody } },
    expected: resolves(1),
  },
  {
    family: "timeouts",
    name: "headers trickle in and never complete, timeoutMs 300",
    faults: { trickleHeaders: { body: okBody, endless: true } },
    client: { timeoutMs: 300 },
    expected: throws(timeoutError, 1),
  },
  {
    family: "connection",
    name: "reset (RST) after reading the body, before any response",
    faults: { resetAfterBody: true },
    expected: throws(connectionError("ECONNRESET"), 1),
  },
  {
    family: "connection",
    name: "close before reading the body",
    faults: { closeBeforeBody: true },
    expected: throws(connectionError("UND_ERR_SOCKET"), 1),
  },
  {
    family: "connection",
    name: "connection refused (nothing listening), maxRetryDelayMs 1",
    client: { maxRetryDelayMs: 1 },
    expected: throws(connectionError("ECONNREFUSED", "not-sent"), 0, [1, 1]),
  },
  {
    family: "bodies",
    name: "200 with truncated JSON (complete HTTP message)",
    faults: { answer: 200, body: okBody.slice(0, 25) },
    expected: throws(unusable200, 1),
  },
  {
    family: "bodies",
    name: "200 with truncated JSON (connection dropped mid-body)",
    faults: { dropMidBody: okBody.slice(0, 25) },
    expected: throws(connectionError("UND_ERR_SOCKET"), 1),
  },
  {
    family: "bodies",
    name: "200 whose body is JSON but not a list of messages",
    faults: { answer: 200, body: problem("OK") },
    expected: throws(unusable200, 1),
  },
  {
    family: "bodies",
    name: "200 whose messages carry failed Statuses 42, 51, 52 (and one 22)",
    faults: { answer: 200, body: JSON.stringify([record(22), record(42), record(51), record(52)]) },
    expected: resolves(1),
  },
  redirectTo(307, "127.0.0.1"),
  redirectTo(308, "127.0.0.1"),
  redirectTo(302, "127.0.0.1"),
  redirectTo(303, "127.0.0.1"),
  redirectTo(307, "127.0.0.2"),
  // undici re-POSTs a replayable body after a 421 by itself; the client's one-shot body cannot be replayed.
  transportCase("421 Misdirected Request, every time", { answer: 421, body: problem("Misdirected") }, apiError(421), 1),
  transportCase("200 with an endless body, maxResponseBytes 65536", { flood: { status: 200 } }, apiError(200), 1, {
    maxResponseBytes: 65_536,
  }),
  transportCase(
    "500 declaring a 1 GB body, maxResponseBytes 65536",
    { flood: { status: 500, declaredLength: 1_000_000_000 } },
    apiError(500),
    1,
    { maxResponseBytes: 65_536 },
  ),
  // No server: fetch refuses the port before connecting.
  transportCase(
    "a port on fetch's bad-port list (6000)",
    undefined,
    { ...configurationError, code: "request-not-made" },
    0,
    {
      baseUrl: "http://127.0.0.1:6000",
    },
  ),
  transportCase("timeoutMs 0", { answer: 200, body: okBody }, { ...configurationError, code: "invalid-option" }, 0, {
    timeoutMs: 0,
  }),
  transportCase("timeoutMs -1", { answer: 200, body: okBody }, { ...configurationError, code: "invalid-option" }, 0, {
    timeoutMs: -1,
  }),
  invalidInput("empty Users", { ...validBody, Users: [] }),
  invalidInput('Message ""', { ...validBody, Message: "" }),
  invalidInput('Message "   "', { ...validBody, Message: "   " }),
  invalidInput('From ""', { ...validBody, From: "" }),
  invalidInput("a 40-character From", { ...validBody, From: "A".repeat(40) }),
  invalidInput("nki 0", validBody, 0),
  invalidInput("nki -1", validBody, -1),
  invalidInput('phone "abc"', withUsers({ ...anna, Phone: "abc" })),
  invalidInput('phone "=1+1"', withUsers({ ...anna, Phone: "=1+1" })),
  invalidInput('phone "\'+46701234567"', withUsers({ ...anna, Phone: "'+46701234567" })),
  invalidInput("phone with a NUL byte", withUsers({ ...anna, Phone: "+46701234567\u0000" })),
  invalidInput("a 10 MB Extra cell", withUsers({ ...anna, Extra: "x".repeat(10_000_000) })),
  invalidInput("the same phone twice", withUsers(anna, { ...anna, FirstName: "Bo" })),
  invalidInput(
    "one person written three ways (+46700000001, +46 70-000 00 01, 0046700000001)",
    withUsers(
      { ...anna, Phone: "+46700000001" },
      { ...anna, Phone: "+46 70-000 00 01" },
      { ...anna, Phone: "0046700000001" },
    ),
  ),
  {
    family: "input",
    name: '"+46 70-000 00 01" as written: sent once, as +46700000001',
    faults: { answer: 200, body: okBody },
    body: withUsers({ ...anna, Phone: "+46 70-000 00 01" }),
    expected: resolves(1),
  },
  {
    family: "input",
    name: 'the same phone three ways with duplicatePhones "keep-first": one request, one recipient',
    faults: { answer: 200, body: okBody },
    client: { duplicatePhones: "keep-first" },
    body: withUsers(
      { ...anna, Phone: "+46700000001" },
      { ...anna, Phone: "+46 70-000 00 01" },
      { ...anna, Phone: "0046700000001" },
    ),
    expected: resolves(1),
  },
  {
    family: "input",
    name: "a token with a newline",
    faults: { answer: 200, body: okBody },
    client: { token: `${apiKey}\n` },
    expected: throws({ ...configurationError, code: "invalid-credential" }, 0),
  },
  {
    family: "input",
    name: "a base URL with user:key@",
    client: { baseUrl: `http://${account}:${apiKey}@127.0.0.1:9` },
    expected: throws({ ...configurationError, code: "unsafe-base-url" }, 0),
  },
  echo("400 whose Message echoes the Authorization header", 400, (authorization) => ({
    body: problem(`Bad request from ${authorization}`),
  })),
  echo("500 whose HTML body echoes the Authorization header", 500, (authorization) => ({
    headers: { "content-type": "text/html" },
    body: `<html><body><pre>Authorization: ${authorization}</pre></body></html>`,
  })),
  echo("500 echoing the Authorization in a header", 500, (authorization) => ({
    headers: { "x-echo": authorization },
    body: problem("oops"),
  })),
  echo("200 with garbage that echoes the bare credential", 200, (authorization) => ({
    body: `not json: ${authorization.split(" ")[1]}`,
  })),
];

export const familyCases = (family: Family) => faultCatalog.filter((entry) => entry.family === family);
