// The sent log's reads: typed results and errors, a retry policy by method (a read is retried after a 5xx, a timeout
// or a reset; the send never is), the filters on the wire, and the time window applied to `Created` by the client.
import { Ip1ApiError, Ip1AuthenticationError, Ip1ServerError, Ip1TimeoutError, type Ip1ValidationError } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { body, json, networkError, rejectionOf, scriptedFetch, testClient } from "./support.js";

const logged = (id: number, to: string, created: string, status = 22) => ({
  ID: id,
  BundleID: 7,
  Status: status,
  To: to,
  From: "Acme",
  Message: "Hej",
  Created: created,
  Modified: created,
});

describe("reads of the sent log", () => {
  it("getSentSms GETs /api/sms/sent/{id} and resolves to the record", async () => {
    const { fetch, requests } = scriptedFetch(json(200, logged(5, "+46701234567", "2026-03-02T09:00:00Z")));
    const record = await testClient(fetch).getSentSms(5);
    expect(record.ID).toBe(5);
    expect(requests[0]?.request.method).toBe("GET");
    expect(new URL(requests[0]?.request.url ?? "").pathname).toBe("/api/sms/sent/5");
  });

  it("listSentSmsInBundle GETs the bundle's path", async () => {
    const { fetch, requests } = scriptedFetch(json(200, [logged(5, "+46701234567", "2026-03-02T09:00:00Z")]));
    expect(await testClient(fetch).listSentSmsInBundle(7)).toHaveLength(1);
    expect(new URL(requests[0]?.request.url ?? "").pathname).toBe("/api/sms/sent/bundle/7");
  });

  it("searchSentSms sends each recipient as a repeated `to` and filters by Created itself", async () => {
    const records = [
      logged(1, "+46701234567", "2026-03-02T08:59:59Z"),
      logged(2, "+46701234567", "2026-03-02T09:05:00Z"),
      logged(3, "+46731234568", "2026-03-02T09:10:00Z"),
      { ...logged(4, "+46731234568", ""), Created: undefined },
    ];
    const { fetch, requests } = scriptedFetch(json(200, records));
    const found = await testClient(fetch).searchSentSms({
      to: ["+46701234567", "+46731234568"],
      createdFrom: "2026-03-02T09:00:00Z",
      createdUntil: new Date("2026-03-02T09:10:00Z"),
    });
    expect(found.map((record) => record.ID)).toEqual([2, 3]);
    const url = new URL(requests[0]?.request.url ?? "");
    expect(url.pathname).toBe("/api/sms/sent");
    expect(url.searchParams.getAll("to")).toEqual(["+46701234567", "+46731234568"]);
  });

  it("bad input names the field, and nothing is requested", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const client = testClient(fetch);
    expect((await rejectionOf<Ip1ValidationError>(client.getSentSms(1.5))).problems[0]?.path).toBe("id");
    expect((await rejectionOf<Ip1ValidationError>(client.listSentSmsInBundle(-0.5))).problems[0]?.path).toBe(
      "bundleId",
    );
    const search = await rejectionOf<Ip1ValidationError>(client.searchSentSms({ createdFrom: "yesterday" }));
    expect(search.problems[0]?.path).toBe("createdFrom");
    expect(requests).toHaveLength(0);
  });

  it("401 is an Ip1AuthenticationError; a 200 of the wrong shape is an Ip1ApiError", async () => {
    const unauthorized = scriptedFetch(json(401, { Message: "Authorization has been denied for this request." }));
    expect(await rejectionOf(testClient(unauthorized.fetch).getSentSms(1))).toBeInstanceOf(Ip1AuthenticationError);
    const wrong = scriptedFetch(json(200, { not: "a list" }));
    expect(await rejectionOf(testClient(wrong.fetch).listSentSmsInBundle(1))).toBeInstanceOf(Ip1ApiError);
  });
});

describe("the retry policy says by method what may be retried", () => {
  it("a read is retried after a 5xx and a reset, and succeeds", async () => {
    const { fetch, requests } = scriptedFetch(
      json(503, { Message: "down" }),
      networkError("ECONNRESET"),
      json(200, []),
    );
    expect(await testClient(fetch).listSentSmsInBundle(7)).toEqual([]);
    expect(requests).toHaveLength(3);
  });

  it("a read is retried after a timeout", async () => {
    let calls = 0;
    const fetch = (request: Request) => {
      calls++;
      if (calls === 1) {
        return new Promise<Response>((_, reject) =>
          request.signal.addEventListener("abort", () => reject(request.signal.reason)),
        );
      }
      return Promise.resolve(json(200, []));
    };
    expect(await testClient(fetch, { timeoutMs: 20 }).searchSentSms({})).toEqual([]);
    expect(calls).toBe(2);
  });

  it("a read gives up after maxRetries with the typed error", async () => {
    const { fetch, requests } = scriptedFetch(json(500, { Message: "down" }));
    expect(await rejectionOf(testClient(fetch, { maxRetries: 1 }).getSentSms(1))).toBeInstanceOf(Ip1ServerError);
    expect(requests).toHaveLength(2);
  });

  it("the send is still never retried after a 5xx or a timeout", async () => {
    const server = scriptedFetch(json(503, { Message: "down" }), json(200, []));
    expect(await rejectionOf(testClient(server.fetch).sendNki(42, body()))).toBeInstanceOf(Ip1ServerError);
    expect(server.requests).toHaveLength(1);
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    let sends = 0;
    const counted = (request: Request) => {
      sends++;
      return hanging(request);
    };
    const timeout = await rejectionOf(testClient(counted, { timeoutMs: 20 }).sendNki(42, body()));
    expect(timeout).toBeInstanceOf(Ip1TimeoutError);
    expect(sends).toBe(1);
  });
});
