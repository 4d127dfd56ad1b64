// Per-request timeouts and the caller's abort signal, against a real loopback server that never answers, so the
// socket's fate can be observed from the server's side.
import { getEventListeners } from "node:events";
import type { Socket } from "node:net";
import { Ip1AbortError, Ip1TimeoutError } from "ip1-nki";
import { afterEach, describe, expect, it, vi } from "vitest";
import { requestSignal } from "../../src/timeout.js";
import { body, json, type LoopbackServer, loopbackServer, rejectionOf, scriptedFetch, testClient } from "./support.js";

let server: LoopbackServer | undefined;
let sockets: Socket[] = [];
let requestArrived: Promise<void>;

/** A server that reads the request and never answers; `requestArrived` settles when the first request is in. */
async function silentServer() {
  sockets = [];
  let arrived = () => {};
  requestArrived = new Promise((resolve) => {
    arrived = resolve;
  });
  server = await loopbackServer((request) => {
    sockets.push(request.socket);
    request.resume();
    arrived();
  });
  return server;
}

const closed = (socket: Socket | undefined) =>
  new Promise<void>((resolve) => (!socket || socket.destroyed ? resolve() : socket.once("close", () => resolve())));

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

describe("timeout", () => {
  it("throws Ip1TimeoutError (outcome unknown), sends once, and closes the socket", async () => {
    const { url, requests } = await silentServer();
    // The timeout fires only once the request has reached the server, however slow the machine: the client's timer
    // is a fake one, advanced by hand after the server saw the request (sockets and the server run on real time).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const client = testClient(globalThis.fetch, { baseUrl: url, timeoutMs: 500, maxRetries: 3 });
    const sending = rejectionOf<Ip1TimeoutError>(client.sendNki(1, body()));
    await requestArrived;
    vi.advanceTimersByTime(500);
    const error = await sending;
    expect(error).toBeInstanceOf(Ip1TimeoutError);
    expect(error.outcome).toBe("unknown");
    expect(error.message).toMatch(/^IP1 did not answer within 500 ms\. The request may have been processed/);
    expect(requests).toHaveLength(1);
    await closed(sockets[0]);
    expect(sockets[0]?.destroyed).toBe(true);
  });

  it("takes a per-call timeoutMs over the client's", async () => {
    const { url } = await silentServer();
    const client = testClient(globalThis.fetch, { baseUrl: url, timeoutMs: 60_000 });
    await expect(client.sendNki(1, body(), { timeoutMs: 30 })).rejects.toThrow("within 30 ms");
  });
});

describe("caller abort", () => {
  it("aborts a request in flight with Ip1AbortError (outcome unknown) and closes the socket", async () => {
    const { url, requests } = await silentServer();
    const controller = new AbortController();
    const sending = testClient(globalThis.fetch, { baseUrl: url }).sendNki(1, body(), { signal: controller.signal });
    await vi.waitUntil(() => requests.length === 1);
    controller.abort(new Error("user pressed stop"));
    const error = await rejectionOf<Ip1AbortError>(sending);
    expect(error).toBeInstanceOf(Ip1AbortError);
    expect(error.outcome).toBe("unknown");
    expect((error.cause as Error).message).toBe("user pressed stop");
    await closed(sockets[0]);
    expect(sockets[0]?.destroyed).toBe(true);
  });

  it("sends nothing when the signal is already aborted (outcome not-sent)", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const error = await rejectionOf<Ip1AbortError>(
      testClient(fetch).sendNki(1, body(), { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(Ip1AbortError);
    expect(error.outcome).toBe("not-sent");
    expect(requests).toHaveLength(0);
  });
});

describe("requestSignal", () => {
  it("clears its timer and unhooks the caller's signal when disposed", () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const request = requestSignal(30_000, caller.signal);
    expect(vi.getTimerCount()).toBe(1);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(1);
    request.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("tells a timeout from a caller abort", () => {
    vi.useFakeTimers();
    const timedOut = requestSignal(10, undefined);
    vi.advanceTimersByTime(10);
    expect([timedOut.signal.aborted, timedOut.timedOut]).toEqual([true, true]);

    const caller = new AbortController();
    const aborted = requestSignal(10, caller.signal);
    caller.abort();
    expect([aborted.signal.aborted, aborted.timedOut]).toEqual([true, false]);
    aborted.dispose();
  });

  it("leaves no timer after a completed send", async () => {
    const { fetch } = scriptedFetch(json(200, []));
    const client = testClient(fetch);
    vi.useFakeTimers();
    await client.sendNki(1, body());
    expect(vi.getTimerCount()).toBe(0);
  });
});
