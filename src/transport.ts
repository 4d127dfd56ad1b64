// The one way a request reaches the network: a body that can be delivered at most once, and an answer read only up
// to a size limit. Node's fetch (undici) posts a replayable body (a string or bytes) a second time on its own after
// a 421 Misdirected Request, and the caller never sees the first answer; a body given as a one-shot stream cannot be
// replayed, so undici hands the 421 back instead. The exact Content-Length keeps it a plain, non-chunked request.
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
 * The answer's text, read whole but never past `maxBytes`: a longer answer (by Content-Length, or once reading
 * passes the limit) is abandoned as `Ip1ApiError.oversized`, and the connection is released instead of read to the
 * end.
 */
export async function readLimited(response: Response, maxBytes: number, redactor: Redactor): Promise<string> {
  const oversized = () => Ip1ApiError.oversized(response.status, redactor.headers(response.headers), maxBytes);
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw oversized();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    received += read.value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw oversized();
    }
    text += decoder.decode(read.value, { stream: true });
  }
  return text + decoder.decode();
}
