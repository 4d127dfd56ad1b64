// The retry policy: only failures that certainly did not reach IP1 are retried (refused connection, failed DNS,
// 429); timeouts, resets and 5xx are never retried unless the caller dangerously opts in.
import {
  Ip1AbortError,
  Ip1BadRequestError,
  Ip1ConnectionError,
  Ip1RateLimitError,
  Ip1ServerError,
  type RetryEvent,
} from "ip1-nki";
import { afterEach, describe, expect, it, vi } from "vitest";
import { retryAfterMs, retryDelayMs, sleep } from "../../src/retry.js";
import {
  body,
  closedPort,
  json,
  type LoopbackServer,
  loopbackServer,
  networkError,
  rejectionOf,
  scriptedFetch,
  testClient,
} from "./support.js";

const ok = () => json(200, []);

function recordRetries() {
  const events: RetryEvent[] = [];
  return { events, onRetry: (event: RetryEvent) => events.push(event) };
}

describe("retryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads seconds", () => {
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date, and a date in the past as no wait", () => {
    expect(retryAfterMs("Wed, 01 Jan 2025 00:00:07 GMT", now)).toBe(7000);
    expect(retryAfterMs("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores an absent or unreadable value", () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("", now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });

  it("never gives a negative wait", () => {
    expect(retryAfterMs("-5", now)).toBe(0);
  });
});

describe("retryDelayMs", () => {
  it("doubles from 500 ms, with up to a quarter less as jitter", () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, undefined, 60_000, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, undefined, 60_000, () => 1))).toEqual([375, 750, 1500]);
  });

  it("uses Retry-After instead of the backoff, and caps both", () => {
    expect(retryDelayMs(1, 7000, 60_000, () => 0)).toBe(7000);
    expect(retryDelayMs(1, 0, 60_000, () => 0)).toBe(0);
    expect(retryDelayMs(1, 3_600_000, 60_000, () => 0)).toBe(60_000);
    expect(retryDelayMs(20, undefined, 60_000, () => 0)).toBe(60_000);
  });
});

describe("429", () => {
  it("retries after Retry-After in seconds, then succeeds", async () => {
    const { fetch, requests } = scriptedFetch(json(429, { Message: "slow down" }, { "retry-after": "0" }), ok());
    const { events, onRetry } = recordRetries();
    await expect(testClient(fetch, { onRetry, maxRetryDelayMs: 50 }).sendNki(1, body())).resolves.toEqual([]);
    expect(requests).toHaveLength(2);
    // Without Retry-After the backoff would be capped at 50 ms; Retry-After: 0 means no wait.
    expect(events.map((event) => [event.retry, event.delayMs])).toEqual([[1, 0]]);
    expect(events[0]?.error).toBeInstanceOf(Ip1RateLimitError);
  });

  it("retries after Retry-After as an HTTP date, capped by maxRetryDelayMs", async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    const { fetch, requests } = scriptedFetch(json(429, {}, { "retry-after": inAnHour }), ok());
    const { events, onRetry } = recordRetries();
    await testClient(fetch, { onRetry, maxRetryDelayMs: 5 }).sendNki(1, body());
    expect(requests).toHaveLength(2);
    expect(events.map((event) => event.delayMs)).toEqual([5]);
  });

  it("gives up after maxRetries with the 429 error (outcome not-sent)", async () => {
    const { fetch, requests } = scriptedFetch(json(429, { Message: "slow down" }));
    const error = await rejectionOf(testClient(fetch, { maxRetries: 2 }).sendNki(1, body()));
    expect(error).toBeInstanceOf(Ip1RateLimitError);
    expect((error as Ip1RateLimitError).outcome).toBe("not-sent");
    expect(requests).toHaveLength(3);
  });

  it("does not retry with maxRetries 0", async () => {
    const { fetch, requests } = scriptedFetch(json(429, {}));
    await expect(testClient(fetch, { maxRetries: 0 }).sendNki(1, body())).rejects.toThrow(Ip1RateLimitError);
    expect(requests).toHaveLength(1);
  });
});

describe("connection failures before anything was sent", () => {
  it("retries a refused connection on a real closed loopback port, then reports it as not sent", async () => {
    const port = await closedPort();
    let attempts = 0;
    const client = testClient(
      (request) => {
        attempts++;
        return fetch(request);
      },
      { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 },
    );
    const error = await rejectionOf<Ip1ConnectionError>(client.sendNki(1, body()));
    expect(error).toBeInstanceOf(Ip1ConnectionError);
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.outcome).toBe("not-sent");
    expect(error.message).toBe(`Could not reach http://127.0.0.1:${port} (ECONNREFUSED).`);
    expect(attempts).toBe(3);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])("retries %s and then succeeds", async (code) => {
    const { fetch, requests } = scriptedFetch(networkError(code), ok());
    await expect(testClient(fetch).sendNki(1, body())).resolves.toEqual([]);
    expect(requests).toHaveLength(2);
  });
});

describe("never retried: the request may have been processed", () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("a 5xx: exactly one request, outcome unknown", async () => {
    const { fetch, requests } = scriptedFetch(json(500, { Message: "oops" }), ok());
    const error = await rejectionOf(testClient(fetch, { maxRetries: 5 }).sendNki(1, body()));
    expect(error).toBeInstanceOf(Ip1ServerError);
    expect((error as Ip1ServerError).outcome).toBe("unknown");
    expect(requests).toHaveLength(1);
  });

  it("a reset after the body was sent (real loopback server): exactly one request, outcome unknown", async () => {
    server = await loopbackServer((request) => {
      request.resume();
      request.on("end", () => request.socket.destroy());
    });
    const error = await rejectionOf<Ip1ConnectionError>(
      testClient(globalThis.fetch, { baseUrl: server.url, maxRetries: 5 }).sendNki(1, body()),
    );
    expect(error).toBeInstanceOf(Ip1ConnectionError);
    expect(error.outcome).toBe("unknown");
    expect(error.message).toMatch(/check before resending/);
    expect(server.requests).toHaveLength(1);
  });

  it("an unknown network failure", async () => {
    const { fetch, requests } = scriptedFetch(networkError("ECONNRESET"), ok());
    const error = await rejectionOf(testClient(fetch).sendNki(1, body()));
    expect((error as Ip1ConnectionError).outcome).toBe("unknown");
    expect(requests).toHaveLength(1);
  });

  it("a 400", async () => {
    const { fetch, requests } = scriptedFetch(json(400, { Message: "bad" }), ok());
    await expect(testClient(fetch).sendNki(1, body())).rejects.toThrow(Ip1BadRequestError);
    expect(requests).toHaveLength(1);
  });
});

describe("dangerouslyRetryUnknownOutcome", () => {
  it("retries a 5xx and a reset when opted in", async () => {
    const { fetch, requests } = scriptedFetch(json(502, {}), networkError("ECONNRESET"), ok());
    const client = testClient(fetch, { dangerouslyRetryUnknownOutcome: true });
    await expect(client.sendNki(1, body())).resolves.toEqual([]);
    expect(requests).toHaveLength(3);
  });

  it("still never retries a 400", async () => {
    const { fetch, requests } = scriptedFetch(json(400, {}), ok());
    const client = testClient(fetch, { dangerouslyRetryUnknownOutcome: true });
    await expect(client.sendNki(1, body())).rejects.toThrow(Ip1BadRequestError);
    expect(requests).toHaveLength(1);
  });
});

describe("waiting between retries", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is cut short by the caller's signal, which ends the send as not sent", async () => {
    const controller = new AbortController();
    const { fetch, requests } = scriptedFetch(json(429, {}, { "retry-after": "3600" }));
    const client = testClient(fetch, {
      maxRetryDelayMs: 3_600_000,
      onRetry: () => controller.abort(new Error("user cancelled")),
    });
    const error = await rejectionOf<Ip1AbortError>(client.sendNki(1, body(), { signal: controller.signal }));
    expect(error).toBeInstanceOf(Ip1AbortError);
    expect(error.outcome).toBe("not-sent");
    expect((error.cause as Error).message).toBe("user cancelled");
    expect(requests).toHaveLength(1);
  });

  it("leaves no timer behind when aborted, nor when it ends", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const aborted = sleep(10_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(Ip1AbortError);
    expect(vi.getTimerCount()).toBe(0);

    const finished = sleep(10, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10);
    await expect(finished).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
