// createIp1Client: openapi-fetch does the HTTP; this adds validation before send, typed errors, the retry policy and
// per-request timeouts.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { credentialGuard } from "./auth.js";
import { type BulkResult, sendInChunks } from "./bulk.js";
import { Ip1AbortError, Ip1ApiError, Ip1ConnectionError, Ip1Error, Ip1TimeoutError } from "./errors.js";
import { type BulkSendOptions, type Ip1ClientOptions, resolveClientOptions, type SendOptions } from "./options.js";
import { withRetries } from "./retry.js";
import { requestSignal } from "./timeout.js";
import type { NkiSendRequest, OutgoingSms } from "./types-entry.js";
import { assertValidSend } from "./validate.js";

export interface Ip1Client {
  /**
   * Sends NKI `nki` to every user in `body.Users` and resolves to one record per recipient; check each record's
   * Status (see `summarize`), because a 200 can hold failed messages. Invalid input throws `Ip1ValidationError` and
   * sends nothing; other failures throw an `Ip1Error` whose `outcome` says whether IP1 may have processed the request.
   */
  sendNki(nki: number, body: NkiSendRequest, options?: SendOptions): Promise<OutgoingSms[]>;
  /**
   * Sends to any number of users in chunks of at most 1000 per request, after validating every user. Resolves (does
   * not throw) with each chunk's outcome; throws only for invalid input (`Ip1ValidationError`, nothing sent) or when
   * `onProgress` throws. For more than 1000 users, use this rather than `sendNki`.
   */
  sendNkiBulk(nki: number, body: NkiSendRequest, options?: BulkSendOptions): Promise<BulkResult>;
  /** The openapi-fetch client, typed by the spec's `paths`, with the client's base URL, headers and credential guard. */
  raw: Client<paths>;
}

const sendPath = "/api/nkis/{nki}/users/send";
// Network failures that happen before any byte of the request is sent, so IP1 certainly did not see it.
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** Makes a client; throws `Ip1ConfigurationError` when credentials are missing or the base URL is unsafe. */
export function createIp1Client(options: Ip1ClientOptions = {}): Ip1Client {
  const { baseUrl, headers, timeoutMs, retry, fetch } = resolveClientOptions(options);
  const raw = createClient<paths>({ baseUrl, headers, fetch });
  raw.use(credentialGuard(baseUrl));

  async function sendOnce(nki: number, body: NkiSendRequest, call: SendOptions): Promise<OutgoingSms[]> {
    if (call.signal?.aborted) throw new Ip1AbortError("not-sent", call.signal.reason);
    const request = requestSignal(call.timeoutMs ?? timeoutMs, call.signal);
    let status: number;
    let text: string;
    let responseHeaders: Headers;
    try {
      // Parsed here rather than by openapi-fetch, so a truncated or non-JSON body still yields a typed error.
      const { data, error, response } = await raw.POST(sendPath, {
        params: { path: { nki } },
        body,
        headers: call.headers,
        signal: request.signal,
        parseAs: "text",
        // Never follow: a redirect would carry the recipients' data to another host (see Ip1RedirectError).
        redirect: "manual",
      });
      status = response.status;
      text = (data ?? error ?? "") as string;
      responseHeaders = response.headers;
    } catch (cause) {
      if (cause instanceof Ip1Error) throw cause;
      if (request.timedOut) throw new Ip1TimeoutError(call.timeoutMs ?? timeoutMs);
      if (request.signal.aborted) throw new Ip1AbortError("unknown", call.signal?.reason);
      const code = errorCode(cause);
      throw new Ip1ConnectionError(baseUrl, cause, code, code && notSentCodes.has(code) ? "not-sent" : "unknown");
    } finally {
      request.dispose();
    }
    const parsed = parseJson(text);
    if (status === 200 && Array.isArray(parsed)) return parsed as OutgoingSms[];
    throw Ip1ApiError.generate(status, parsed ?? text, responseHeaders);
  }

  function sendValidated(nki: number, body: NkiSendRequest, call: SendOptions = {}) {
    return withRetries(() => sendOnce(nki, body, call), retry, call.signal);
  }

  return {
    raw,
    async sendNki(nki, body, call) {
      assertValidSend(nki, body);
      return sendValidated(nki, body, call);
    },
    async sendNkiBulk(nki, body, call) {
      assertValidSend(nki, body);
      return sendInChunks(sendValidated, nki, body, call);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first `code` (ECONNREFUSED, UND_ERR_SOCKET, …) along an error's cause chain; undici nests it in `cause`. */
function errorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === "string") return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}
