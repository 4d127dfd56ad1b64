// sendNkiBulk: validates every user first, sends chunks of at most 1000 with bounded concurrency, reports each
// chunk's outcome by a stable index, never retries an unknown chunk, and stops starting chunks after most errors.
import {
  type BulkProgress,
  Ip1AbortError,
  Ip1BadRequestError,
  Ip1ServerError,
  Ip1ValidationError,
  type NkiSendRequest,
} from "ip1-nki";
import { describe, expect, it } from "vitest";
import { body, echoRecipients, json, rejectionOf, scriptedFetch, testClient, users } from "./support.js";

const sentUsers = (requests: { body: string }[]) =>
  requests.map((request) => (JSON.parse(request.body) as NkiSendRequest).Users);

describe("chunks", () => {
  it("splits 2,500 users into requests of 1000, 1000 and 500, in index order", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const input = body(users(2500));
    const result = await testClient(fetch).sendNkiBulk(42, input);

    expect(
      sentUsers(requests)
        .map((list) => list.length)
        .sort(),
    ).toEqual([1000, 1000, 500]);
    expect(result.chunks.map(({ index, start, end, outcome }) => ({ index, start, end, outcome }))).toEqual([
      { index: 0, start: 0, end: 1000, outcome: "sent" },
      { index: 1, start: 1000, end: 2000, outcome: "sent" },
      { index: 2, start: 2000, end: 2500, outcome: "sent" },
    ]);
    // Chunk i holds exactly Users[i * 1000, (i + 1) * 1000), and its records are that chunk's recipients.
    expect(result.chunks[1]?.messages?.[0]?.To).toBe(input.Users[1000]?.Phone);
    expect(result.chunks[2]?.messages?.at(-1)?.To).toBe(input.Users[2499]?.Phone);
    expect(result.summary.total).toBe(2500);
    expect(result.summary.inTransit).toHaveLength(2500);
    // The other fields go with every chunk, and the input is left as it was.
    expect(requests.every((request) => JSON.parse(request.body).From === "Acme")).toBe(true);
    expect(input.Users).toHaveLength(2500);
  });

  it("uses the given chunkSize, and sends nothing for no users", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const result = await testClient(fetch).sendNkiBulk(1, body(users(5)), { chunkSize: 2 });
    expect(sentUsers(requests).map((list) => list.length)).toEqual([2, 2, 1]);
    expect(result.chunks.map((chunk) => [chunk.start, chunk.end])).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);

    // No users is a mistake the client policy refuses, rather than a send that quietly does nothing.
    const empty = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ValidationError>(testClient(empty.fetch).sendNkiBulk(1, body([])));
    expect(error.problems).toEqual([{ path: "Users", message: "must not be empty" }]);
    expect(empty.requests).toHaveLength(0);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const { fetch } = scriptedFetch(async (request) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return echoRecipients()(request);
    });
    await testClient(fetch).sendNkiBulk(1, body(users(10)), { chunkSize: 1, concurrency: 3 });
    expect(most).toBe(3);
  });

  it("reports progress after each chunk", async () => {
    const { fetch } = scriptedFetch(echoRecipients());
    const progress: BulkProgress[] = [];
    await testClient(fetch).sendNkiBulk(1, body(users(3)), {
      chunkSize: 1,
      onProgress: (event) => progress.push(event),
    });
    expect(progress.map((event) => [event.chunksDone, event.chunksTotal])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(progress.map((event) => event.chunk.index).sort()).toEqual([0, 1, 2]);
  });

  it("sends only the chunks `include` accepts, and reports the rest as skipped", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const result = await testClient(fetch).sendNkiBulk(1, body(users(4)), {
      chunkSize: 1,
      include: (index) => index % 2 === 1,
    });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["skipped", "sent", "skipped", "sent"]);
    expect(sentUsers(requests).map((list) => list[0]?.FirstName)).toEqual(["User1", "User3"]);
  });
});

describe("keepMessages: false", () => {
  it("hands each chunk's records to onProgress, keeps none in the result, and keeps every failed record", async () => {
    // Every third recipient's record comes back failed (Status 51); the others in transit (Status 0).
    const { fetch } = scriptedFetch(async (request: Request) => {
      const sent = (await request.json()) as { Users: { Phone: string }[] };
      const records = sent.Users.map((user, i) => ({
        To: user.Phone,
        Status: i % 3 === 0 ? 51 : 0,
        From: "Acme",
        Message: "Hej",
      }));
      return new Response(JSON.stringify(records), { status: 200, headers: { "content-type": "application/json" } });
    });
    const seen: number[] = [];
    const result = await testClient(fetch).sendNkiBulk(42, body(users(25)), {
      chunkSize: 10,
      keepMessages: false,
      onProgress: ({ chunk }) => seen.push(chunk.messages?.length ?? 0),
    });

    expect(seen.sort()).toEqual([10, 10, 5]);
    expect(result.chunks.map((chunk) => [chunk.outcome, chunk.messages])).toEqual([
      ["sent", undefined],
      ["sent", undefined],
      ["sent", undefined],
    ]);
    expect(result.summary.total).toBe(25);
    expect(result.summary.failed).toHaveLength(4 + 4 + 2); // i % 3 === 0 within chunks of 10, 10 and 5
    expect(result.summary.failed.every((record) => record.Status === 51)).toBe(true);
    expect(result.summary.inTransit).toEqual([]);
  });
});

describe("validation first", () => {
  it("validates every user before sending any chunk", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const input = body(users(2500));
    input.Users[2400] = { FirstName: "Bad", Phone: "+46701234567890123" };
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNkiBulk(1, input));
    expect(error).toBeInstanceOf(Ip1ValidationError);
    expect(error.problems).toEqual([{ path: "Users[2400].Phone", message: "not a valid phone number" }]);
    expect(requests).toHaveLength(0);
  });

  it.each([0, 1001, 2.5])("refuses chunkSize %s", async (chunkSize) => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNkiBulk(1, body(), { chunkSize }));
    expect(error.problems).toEqual([{ path: "chunkSize", message: "must be a whole number from 1 to 1000" }]);
    expect(requests).toHaveLength(0);
  });

  it("refuses a concurrency below 1", async () => {
    const { fetch } = scriptedFetch(echoRecipients());
    await expect(testClient(fetch).sendNkiBulk(1, body(), { concurrency: 0 })).rejects.toThrow(
      "concurrency: must be a whole number of 1 or more",
    );
  });
});

describe("failures", () => {
  it("marks a 5xx chunk unknown, never retries it, and starts no new chunk", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients(), json(500, { Message: "down" }), echoRecipients());
    const result = await testClient(fetch, { maxRetries: 5 }).sendNkiBulk(1, body(users(4)), {
      chunkSize: 1,
      concurrency: 1,
    });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["sent", "unknown", "skipped", "skipped"]);
    expect(result.chunks[1]?.error).toBeInstanceOf(Ip1ServerError);
    expect(requests).toHaveLength(2);
    expect(result.summary.total).toBe(1);
  });

  it("keeps going after a 400, which concerns that chunk's users only", async () => {
    const { fetch, requests } = scriptedFetch(json(400, { Message: "No recipients left" }), echoRecipients());
    const result = await testClient(fetch).sendNkiBulk(1, body(users(3)), { chunkSize: 1, concurrency: 1 });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["failed", "sent", "sent"]);
    expect(result.chunks[0]?.error).toBeInstanceOf(Ip1BadRequestError);
    expect(requests).toHaveLength(3);
  });

  it("keeps going after any error with continueOnError, still never retrying the unknown chunk", async () => {
    const { fetch, requests } = scriptedFetch(json(502, {}), json(401, {}), echoRecipients());
    const result = await testClient(fetch).sendNkiBulk(1, body(users(3)), {
      chunkSize: 1,
      concurrency: 1,
      continueOnError: true,
    });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["unknown", "failed", "sent"]);
    expect(requests).toHaveLength(3);
  });

  it("skips the chunks not yet started when the caller aborts", async () => {
    const controller = new AbortController();
    const { fetch } = scriptedFetch(echoRecipients());
    const result = await testClient(fetch).sendNkiBulk(1, body(users(3)), {
      chunkSize: 1,
      concurrency: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["sent", "skipped", "skipped"]);
  });

  it("reports a chunk aborted in flight as unknown", async () => {
    const controller = new AbortController();
    // Like a real fetch, it rejects when the request's signal aborts; the caller aborts while it waits.
    const { fetch } = scriptedFetch(
      (request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
          controller.abort();
        }),
    );
    const result = await testClient(fetch).sendNkiBulk(1, body(users(2)), {
      chunkSize: 1,
      concurrency: 1,
      signal: controller.signal,
    });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["unknown", "skipped"]);
    expect(result.chunks[0]?.error).toBeInstanceOf(Ip1AbortError);
  });

  it("stops starting chunks when onProgress throws, and rethrows once the chunks in flight end", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const sending = testClient(fetch).sendNkiBulk(1, body(users(3)), {
      chunkSize: 1,
      concurrency: 1,
      onProgress: () => {
        throw new Error("journal full");
      },
    });
    await expect(sending).rejects.toThrow("journal full");
    expect(requests).toHaveLength(1);
  });
});
