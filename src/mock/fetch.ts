// The in-process door: a `fetch` that hands each request to the simulator's core, for createIp1Client({ fetch })
// and for the MSW handlers. A hang is a promise that settles only when the request's signal aborts; a reset
// rejects the way Node's fetch does when the peer resets the connection.
import type { MockAnswer, MockRequest } from "./exchange.js";

type Handler = { handle(request: MockRequest): MockAnswer };

export async function fetchThrough(
  core: Handler,
  input: Request | string | URL,
  init?: RequestInit,
): Promise<Response> {
  // openapi-fetch passes its Request with an init of fetch-only options (no method, headers or body): use the
  // Request as it is rather than copying it, which would tee its body.
  const overrides =
    init !== undefined && (init.method !== undefined || init.headers !== undefined || init.body != null);
  const request = input instanceof Request && !overrides ? input : new Request(input, init);
  const answer = core.handle(await mockRequestOf(request));
  if (answer.kind === "response") return toResponse(answer);
  if (answer.kind === "reset") {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    throw new TypeError("fetch failed", { cause: reset });
  }
  const { signal } = request;
  return new Promise<Response>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** What the core reads of a Fetch API request (MSW hands the doors one too). */
export async function mockRequestOf(request: Request): Promise<MockRequest> {
  return { method: request.method, url: request.url, headers: request.headers, body: await request.text() };
}

export function toResponse(answer: Extract<MockAnswer, { kind: "response" }>): Response {
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...answer.headers },
  });
}
