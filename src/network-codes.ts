// Which network failures prove a request never left the machine: one rule for the send (client.ts) and the reads of
// the sent log (sent-log.ts), in a file of its own so neither imports the other.

/** Network failures that happen before any byte of the request is sent, so IP1 certainly did not see it. */
export const notSentCodes: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** The first `code` (ECONNREFUSED, UND_ERR_SOCKET, …) along an error's cause chain; undici nests it in `cause`. */
export function errorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === "string") return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}
