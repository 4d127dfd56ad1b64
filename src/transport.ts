// The one way a request reaches the network: a body that can be delivered at most once, and an answer read only up
// to a size limit. Node's fetch (undici) posts a replayable body (a string or bytes) a second time on its own after
// a 421 Misdirected Request, and the caller never sees the first answer; a body given as a one-shot stream cannot be
// replayed, so undici hands the 421 back instead. The exact Content-Length keeps it a plain, non-chunked request.
import type { Client, Middleware } from "openapi-fetch";
import { Ip1ApiError } from "./errors.js";
import type { Redactor } from "./redact.js";

/**
 * `bytes` as a one-shot body, which undici can send once and never replay, and its Content-Length (set on the
 * request, so the body goes out whole rather than chunked). One per attempt: a stream is read once.
 */
export function oneShotBody(bytes: Uint8Array): { body: ReadableStream<Uint8Array>; length: string } {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return { body, length: String(bytes.byteLength) };
}

/**
 * The middleware a caller has added to `raw` with `raw.use` (openapi-fetch keeps its own list private, so `use` and
 * `eject` are wrapped to count them). While there is none, a send can skip openapi-fetch and build its one Request.
 */
export function callerMiddleware(raw: Pick<Client<never>, "use" | "eject">): ReadonlySet<Middleware> {
  const added = new Set<Middleware>();
  const { use, eject } = raw;
  raw.use = (...middleware) => {
    use(...middleware);
    for (const m of middleware) if (m) added.add(m);
  };
  raw.eject = (...middleware) => {
    eject(...middleware);
    for (const m of middleware) added.delete(m);
  };
  return added;
}

const decoder = new TextDecoder();

/**
 * The answer's text, read whole but never past `maxBytes`: a longer answer (by Content-Length, or once reading
 * passes the limit) is abandoned as `Ip1ApiError.oversized`, and the connection is released instead of read to the
 * end. `ownFetch` says the response came from the global fetch (no `fetch` option given), which in Node frames the
 * body by its Content-Length, so a server cannot send more than it declares: a declared length within the limit is
 * then trusted and the body read in one go. A caller's fetch may declare a length its body does not keep, and a
 * Content-Encoding makes the body longer than declared, so those bodies are counted as they come.
 */
export async function readLimited(
  response: Response,
  maxBytes: number,
  redactor: Redactor,
  ownFetch = false,
): Promise<string> {
  const oversized = () => Ip1ApiError.oversized(response.status, redactor.headers(response.headers), maxBytes);
  const declared = response.headers.get("content-length");
  if (Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw oversized();
  }
  if (!response.body) return "";
  if (ownFetch && declared !== null && !response.headers.has("content-encoding")) return response.text();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    received += read.value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw oversized();
    }
    chunks.push(read.value);
  }
  // Decoded once, from the one chunk as it came, or from the chunks joined (one copy).
  if (chunks.length <= 1) return decoder.decode(chunks[0]);
  const whole = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(whole);
}
