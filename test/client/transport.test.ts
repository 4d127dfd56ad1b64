// The transport, against real loopback servers that count what reaches them: a body goes out at most once per
// attempt the client counts (Node's fetch re-POSTs a replayable body after a 421 on its own), an answer over
// maxResponseBytes is abandoned early, timeoutMs is validated, and what fails before any byte leaves is "not-sent".
import type { IncomingMessage, ServerResponse } from "node:http";
import { createIp1Client, Ip1ApiError, Ip1ConfigurationError, type Ip1ValidationError, type RetryEvent } from "ip1-nki";
import { afterEach, describe, expect, it, vi } from "vitest";
import { requestSignal } from "../../src/timeout.js";
import {
  body,
  echoRecipients,
  type LoopbackServer,
  loopbackServer,
  rejectionOf,
  scriptedFetch,
  testClient,
} from "./support.js";

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = await loopbackServer(handler);
  servers.push(server);
  return server;
}

/** Reads the request body, then answers 421 Misdirected Request with a JSON Message. */
const misdirected = (bodies: string[]) => (request: IncomingMessage, response: ServerResponse) => {
  let text = "";
  request.on("data", (chunk) => {
    text += chunk;
  });
  request.on("end", () => {
    bodies.push(text);
    response.writeHead(421, { "content-type": "application/json" });
    response.end(JSON.stringify({ Message: "Misdirected" }));
  });
};

describe("421 Misdirected Request", () => {
  it("Node's fetch alone re-POSTs a string body after a 421 (the hazard this guards against)", async () => {
    const bodies: string[] = [];
    const server = await serve(misdirected(bodies));
    const response = await fetch(`${server.url}/api/nkis/42/users/send`, { method: "POST", body: "{}" });
    expect(response.status).toBe(421);
    expect(bodies).toHaveLength(2);
  });

  it("the client's request reaches the server once, whole, with a Content-Length; the 421 is Ip1ApiError, unknown", async () => {
    const bodies: string[] = [];
    const server = await serve(misdirected(bodies));
    const retries: RetryEvent[] = [];
    const client = testClient(globalThis.fetch, { baseUrl: server.url, onRetry: (event) => retries.push(event) });
    const error = await rejectionOf<Ip1ApiError>(client.sendNki(42, body()));
    expect(error.constructor).toBe(Ip1ApiError);
    expect({ status: error.status, outcome: error.outcome }).toEqual({ status: 421, outcome: "unknown" });
    expect(bodies).toEqual([JSON.stringify(body())]);
    expect(server.requests[0]?.headers["content-length"]).toBe(String(Buffer.byteLength(JSON.stringify(body()))));
    expect(server.requests[0]?.headers["transfer-encoding"]).toBeUndefined();
    expect(retries).toEqual([]);
  });

  it("a bulk send's chunks each reach the server once, even when every chunk gets a 421", async () => {
    const bodies: string[] = [];
    const server = await serve(misdirected(bodies));
    const client = testClient(globalThis.fetch, { baseUrl: server.url });
    const result = await client.sendNkiBulk(42, body(), { chunkSize: 1, continueOnError: true });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["unknown", "unknown"]);
    expect(bodies).toHaveLength(2);
  });
});

describe("answers over maxResponseBytes", () => {
  it("gives up on a declared Content-Length over the limit without reading the body", async () => {
    const server = await serve((request, response) => {
      request.resume();
      response.writeHead(500, { "content-type": "text/plain", "content-length": String(50_000_000) });
      response.write("x".repeat(1000));
    });
    const client = testClient(globalThis.fetch, { baseUrl: server.url, maxResponseBytes: 4096 });
    const error = await rejectionOf<Ip1ApiError>(client.sendNki(42, body()));
    expect(error.constructor).toBe(Ip1ApiError);
    expect({ status: error.status, outcome: error.outcome, body: error.body }).toEqual({
      status: 500,
      outcome: "unknown",
      body: undefined,
    });
    expect(error.message).toMatch(/^IP1 answered 500, but with a body over the 4096-byte limit \(maxResponseBytes\)/);
    expect(server.requests).toHaveLength(1);
  });

  it("stops reading an endless chunked answer once it passes the limit (even a 200 or a 400)", async () => {
    for (const status of [200, 400]) {
      let written = 0;
      const server = await serve((request, response) => {
        request.resume();
        response.writeHead(status, { "content-type": "application/json" });
        const more = () => {
          // Write until the socket pushes back or the client hangs up; "drain" resumes only if it keeps reading.
          while (!response.destroyed && response.write("[".repeat(16_384))) written += 16_384;
          if (!response.destroyed) response.once("drain", more);
        };
        more();
      });
      const client = testClient(globalThis.fetch, { baseUrl: server.url, maxResponseBytes: 100_000 });
      const error = await rejectionOf<Ip1ApiError>(client.sendNki(42, body()));
      expect({ status: error.status, outcome: error.outcome }).toEqual({ status, outcome: "unknown" });
      expect(error.message).toContain(`IP1 answered ${status}, but with a body over the 100000-byte limit`);
      // Read no further than the limit plus what sockets buffer on the way: far from endless.
      expect(written).toBeLessThan(20_000_000);
    }
  });

  it("reads an answer of exactly the limit", async () => {
    const answer = JSON.stringify([{ To: "+46701234567", Status: 0 }]);
    const { fetch } = scriptedFetch(new Response(answer, { status: 200 }));
    const messages = await testClient(fetch, { maxResponseBytes: Buffer.byteLength(answer) }).sendNki(42, body());
    expect(messages).toHaveLength(1);
  });
});

describe("timeoutMs", () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, "500"])(
    "refuses %s when the client is made, naming the option and how to write no timeout",
    (timeoutMs) => {
      expect(() => createIp1Client({ token: "t", env: {}, timeoutMs: timeoutMs as number })).toThrow(
        "Invalid client options: timeoutMs must be a whole number of milliseconds from 1 to 2147483647, or false for no timeout.",
      );
    },
  );

  it("refuses an invalid per-call timeoutMs as a validation problem, sending nothing", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNki(42, body(), { timeoutMs: 0 }));
    expect(error.problems.map((problem) => problem.path)).toEqual(["timeoutMs"]);
    expect(requests).toHaveLength(0);
  });

  it("false means no timeout: no timer is set, and the send completes", async () => {
    vi.useFakeTimers();
    try {
      const signal = requestSignal(false, undefined);
      expect(vi.getTimerCount()).toBe(0);
      signal.dispose();
    } finally {
      vi.useRealTimers();
    }
    const { fetch } = scriptedFetch(echoRecipients());
    expect(await testClient(fetch, { timeoutMs: false }).sendNki(42, body())).toHaveLength(2);
  });
});

describe("failures before any byte leaves", () => {
  it("a port on fetch's bad-port list is a configuration error, not sent, never retried", async () => {
    const retries: RetryEvent[] = [];
    const client = testClient(globalThis.fetch, {
      baseUrl: "http://127.0.0.1:6000",
      onRetry: (event) => retries.push(event),
    });
    const error = await rejectionOf<Ip1ConfigurationError>(client.sendNki(42, body()));
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    expect(error.outcome).toBe("not-sent");
    expect(error.message).toContain("its port is on fetch's list of bad ports");
    expect(retries).toEqual([]);
  });

  it("a request that cannot be built (a per-call header with a newline) is not-sent, and does not quote the value", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ConfigurationError>(
      testClient(fetch).sendNki(42, body(), { headers: { Authorization: "Bearer tok\nSECRET" } }),
    );
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    expect(error.outcome).toBe("not-sent");
    expect(error.message).toMatch(/^The request could not be made, so nothing was sent/);
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain("SECRET");
    expect(requests).toHaveLength(0);
  });
});
