// Every scenario through the real client on the simulator's fetch: the error class, its outcome, and what the
// ledger shows was sent. Plus the answers of a plain send: one record per distinct phone, echoed fields, segments,
// prices, IDs, and determinism for a seed.
import {
  createIp1Client,
  estimateSegments,
  Ip1AuthenticationError,
  Ip1BadRequestError,
  Ip1ConfigurationError,
  Ip1ConnectionError,
  Ip1NoCreditsError,
  Ip1RateLimitError,
  Ip1ServerError,
  Ip1TimeoutError,
  type NkiSendRequest,
  type OutgoingSms,
} from "ip1-nki";
import { createIp1Mock, type Ip1Mock, Ip1MockTextedTwiceError, scenarioHeaders } from "ip1-nki/mock";
import { describe, expect, it } from "vitest";
import { validateSendNkiToUsersResponse200 } from "../../generated/validators.js";
import { rejectionOf } from "../client/support.js";

const anna = "+46701234567";
const erik = "+46731234568";
const ola = "+4791234567";
const request: NkiSendRequest = {
  Users: [
    { FirstName: "Anna", Phone: anna },
    { FirstName: "Erik", Phone: erik },
    { FirstName: "Ola", Phone: ola },
  ],
  From: "Acme",
  Message: "Hur nöjd är du?",
};

/** A raw POST to the simulator, for what the client would refuse to send (IP1 and Prism accept it). */
async function postRaw(mock: Ip1Mock, body: unknown) {
  const response = await mock.fetch("https://api.ip1sms.com/api/nkis/42/users/send", {
    method: "POST",
    headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as OutgoingSms[] };
}

function clientFor(mock: Ip1Mock, options: Parameters<typeof createIp1Client>[0] = {}) {
  return createIp1Client({
    account: "ip1-12345",
    apiKey: "key",
    env: {},
    fetch: mock.fetch,
    maxRetryDelayMs: 0,
    ...options,
  });
}

describe("a plain send", () => {
  it("answers one record per distinct normalized phone, echoing To, From and Message, priced per country", async () => {
    const mock = createIp1Mock({ prices: { SE: 0.35, NO: 0.5 } });
    const records = await clientFor(mock).sendNki(42, request);
    expect(validateSendNkiToUsersResponse200(records)).toBe(true);
    expect(records.map((r) => [r.To, r.CountryCode, r.Price, r.TotalPrice, r.Status])).toEqual([
      [anna, "SE", 0.35, 0.35, 0],
      [erik, "SE", 0.35, 0.35, 0],
      [ola, "NO", 0.5, 0.5, 0],
    ]);
    for (const record of records)
      expect(record).toMatchObject({ From: "Acme", Message: request.Message, Currency: 752 });
    expect(new Set(records.map((r) => r.ID)).size).toBe(3);
    expect(new Set(records.map((r) => r.BundleID)).size).toBe(1);
    expect(mock.ledger.entries.map((sms) => sms.phone)).toEqual([anna, erik, ola]);
    mock.assertTextedOnce();
  });

  it("de-duplicates by normalized phone within a request, as IP1 does (the client itself refuses duplicates)", async () => {
    const mock = createIp1Mock();
    const users = [...request.Users, { FirstName: "Anna again", Phone: "+46 70-123 45 67" }];
    const answer = await postRaw(mock, { ...request, Users: users });
    expect(answer.body.map((record) => record.To)).toEqual([anna, erik, ola]);
    mock.assertTextedOnce();
  });

  it("takes Segments and Encoding from estimateSegments, and TotalPrice = Price × Segments", async () => {
    const mock = createIp1Mock();
    for (const message of ["Hej", "€".repeat(81), "😀 tack", "x".repeat(400)]) {
      const [record] = await clientFor(mock).sendNki(42, {
        ...request,
        Users: [{ FirstName: "A", Phone: anna }],
        Message: message,
      });
      const { segments, encoding } = estimateSegments(message);
      expect(record).toMatchObject({ Segments: segments, Encoding: encoding === "GSM-7" ? 0 : 2 });
      expect(record?.TotalPrice).toBeCloseTo((record?.Price ?? Number.NaN) * segments, 10);
    }
    expect(new Set(mock.ledger.entries.map((sms) => sms.bundleId)).size).toBe(4);
  });

  it("answers the same IDs for the same seed and requests, and other IDs for another seed", async () => {
    const ids = async (seed: number) =>
      (await clientFor(createIp1Mock({ seed })).sendNki(42, request)).map((r) => [r.ID, r.BundleID]);
    expect(await ids(5)).toEqual(await ids(5));
    expect(await ids(5)).not.toEqual(await ids(6));
  });

  it("answers a number that is not a phone number with an undeliverable record, no country and no price", async () => {
    const answer = await postRaw(createIp1Mock(), { ...request, Users: [{ FirstName: "A", Phone: "12" }] });
    const [record] = answer.body;
    expect(answer.status).toBe(200);
    expect(record).toMatchObject({ To: "12", Status: 51, Price: 0, TotalPrice: 0 });
    expect(record).not.toHaveProperty("CountryCode");
  });

  it("answers 401 to missing credentials and 400 naming the field to an invalid body, sending nothing", async () => {
    const mock = createIp1Mock();
    const client = clientFor(mock);
    const unauthorized = await rejectionOf<Ip1AuthenticationError>(
      client.sendNki(42, request, { headers: { Authorization: null } }),
    );
    expect(unauthorized).toBeInstanceOf(Ip1AuthenticationError);
    expect(unauthorized.outcome).toBe("not-sent");
    const raw = await mock.fetch("https://api.ip1sms.com/api/nkis/42/users/send", {
      method: "POST",
      headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
      body: JSON.stringify({ ...request, Users: [{ Phone: anna }] }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ ModelState: { "Users[0].FirstName": ["is required"] } });
    expect(mock.ledger.entries).toEqual([]);
  });
});

describe("scenarios, through the real client", () => {
  it("failed: the chosen numbers get the chosen Status inside a 200, and the ledger shows it", async () => {
    const mock = createIp1Mock({ scenario: { failed: { "+47 912 34 567": 52 } } });
    const records = await clientFor(mock).sendNki(42, request);
    expect(records.find((r) => r.To === ola)).toMatchObject({
      Status: 52,
      StatusDescription: "Delivery to the phone failed",
    });
    expect(records.filter((r) => r.Status === 0)).toHaveLength(2);
    expect(mock.ledger.sentTo(ola)).toMatchObject([{ status: 52, answer: 200 }]);
  });

  it("blacklisted: dropped from the answer and the ledger; a 400 (not sent) when none remain", async () => {
    const mock = createIp1Mock();
    const client = clientFor(mock);
    const records = await client.sendNki(42, request, { headers: scenarioHeaders({ blacklisted: [erik] }) });
    expect(records.map((r) => r.To)).toEqual([anna, ola]);
    mock.reset();
    const error = await rejectionOf<Ip1BadRequestError>(
      client.sendNki(42, request, { headers: scenarioHeaders({ blacklisted: [anna, erik, ola] }) }),
    );
    expect(error).toBeInstanceOf(Ip1BadRequestError);
    expect(error.outcome).toBe("not-sent");
    expect(error.message).toContain("blacklist");
    expect(mock.ledger.entries).toEqual([]);
  });

  it("credits: run out after N segments with a 403 (not sent), and later sends are refused too", async () => {
    const mock = createIp1Mock({ credits: 4 });
    const client = clientFor(mock);
    await client.sendNki(42, request); // 3 segments
    expect(mock.creditsLeft).toBe(1);
    const error = await rejectionOf<Ip1NoCreditsError>(client.sendNki(42, request));
    expect(error).toBeInstanceOf(Ip1NoCreditsError);
    expect(error.outcome).toBe("not-sent");
    expect(mock.ledger.entries).toHaveLength(3);
    await client.sendNki(42, { ...request, Users: [{ FirstName: "A", Phone: "+46700000001" }] });
    expect(mock.creditsLeft).toBe(0);
    mock.reset();
    const refused = await rejectionOf(client.sendNki(42, request, { headers: scenarioHeaders({ noCredits: true }) }));
    expect(refused).toBeInstanceOf(Ip1NoCreditsError);
    expect({ outcome: refused.outcome, sent: mock.ledger.entries.length, credits: mock.creditsLeft }).toEqual({
      outcome: "not-sent",
      sent: 0,
      credits: 4,
    });
  });

  it("rateLimited: 429 with Retry-After, nothing sent; the client retries once it passes", async () => {
    const mock = createIp1Mock();
    const error = await rejectionOf<Ip1RateLimitError>(
      clientFor(mock, { maxRetries: 0 }).sendNki(42, request, {
        headers: scenarioHeaders({ rateLimited: { retryAfterSeconds: 7 } }),
      }),
    );
    expect(error).toBeInstanceOf(Ip1RateLimitError);
    expect({ outcome: error.outcome, retryAfter: error.headers.get("retry-after") }).toEqual({
      outcome: "not-sent",
      retryAfter: "7",
    });
    expect(mock.ledger.entries).toEqual([]);

    mock.once({ rateLimited: { retryAfterSeconds: 0 } });
    const retries: number[] = [];
    const records = await clientFor(mock, { onRetry: ({ retry }) => retries.push(retry) }).sendNki(42, request);
    expect({ records: records.length, retries, requests: mock.requestCount }).toEqual({
      records: 3,
      retries: [1],
      requests: 3,
    });
    mock.assertTextedOnce();
  });

  it("serverError: the messages went out (ledger), then a 5xx: Ip1ServerError with an unknown outcome", async () => {
    const mock = createIp1Mock({ scenario: { serverError: { status: 503 } } });
    const error = await rejectionOf<Ip1ServerError>(clientFor(mock).sendNki(42, request));
    expect(error).toBeInstanceOf(Ip1ServerError);
    expect({ status: error.status, outcome: error.outcome }).toEqual({ status: 503, outcome: "unknown" });
    expect(mock.ledger.entries.map((sms) => [sms.phone, sms.answer])).toEqual([
      [anna, 503],
      [erik, 503],
      [ola, 503],
    ]);
    expect(mock.requestCount).toBe(1); // never retried: the outcome is unknown
  });

  it("hang: sent, then no answer past the client's timeout: Ip1TimeoutError, unknown, not retried", async () => {
    const mock = createIp1Mock();
    mock.once({ hang: true });
    const error = await rejectionOf<Ip1TimeoutError>(clientFor(mock, { timeoutMs: 50 }).sendNki(42, request));
    expect(error).toBeInstanceOf(Ip1TimeoutError);
    expect(error.outcome).toBe("unknown");
    expect(mock.ledger.entries.map((sms) => sms.answer)).toEqual(["hang", "hang", "hang"]);
    expect(mock.requestCount).toBe(1);
  });

  it("reset: sent, then the connection resets: Ip1ConnectionError ECONNRESET, unknown, not retried", async () => {
    const mock = createIp1Mock();
    const error = await rejectionOf<Ip1ConnectionError>(
      clientFor(mock).sendNki(42, request, { headers: scenarioHeaders({ reset: true }) }),
    );
    expect(error).toBeInstanceOf(Ip1ConnectionError);
    expect({ code: error.code, outcome: error.outcome }).toEqual({ code: "ECONNRESET", outcome: "unknown" });
    expect(mock.ledger.entries.map((sms) => sms.answer)).toEqual(["reset", "reset", "reset"]);
    expect(mock.requestCount).toBe(1);
  });

  it("Prism's Prefer: code=N still selects an answer: 403, 429 and 5xx", async () => {
    const mock = createIp1Mock();
    const client = clientFor(mock, { maxRetries: 0 });
    const prefer = (code: number) => rejectionOf(client.sendNki(42, request, { headers: { Prefer: `code=${code}` } }));
    expect(await prefer(403)).toBeInstanceOf(Ip1NoCreditsError);
    expect(await prefer(429)).toBeInstanceOf(Ip1RateLimitError);
    expect(mock.ledger.entries).toEqual([]);
    expect(await prefer(500)).toMatchObject({ status: 500, outcome: "unknown" });
    expect(mock.ledger.entries).toHaveLength(3);
  });

  it("once() waits for the next valid send: a refused request does not use it up", async () => {
    const mock = createIp1Mock();
    mock.once({ failed: { [anna]: 42 } });
    await rejectionOf(clientFor(mock).sendNki(42, request, { headers: { Authorization: null } }));
    const raw = await mock.fetch("https://api.ip1sms.com/api/nkis/%E0/users/send", {
      method: "POST",
      headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
      body: JSON.stringify(request),
    });
    expect({ status: raw.status, body: await raw.json() }).toMatchObject({
      status: 400,
      body: { ModelState: { nki: expect.any(Array) } },
    });
    const records = await clientFor(mock).sendNki(42, request);
    expect(records.find((r) => r.To === anna)?.Status).toBe(42);
    expect((await clientFor(mock).sendNki(42, request)).every((r) => r.Status === 0)).toBe(true);
  });

  it("a scenario naming an unknown field is refused, naming it", () => {
    expect(() => createIp1Mock({ scenario: { hangs: true } as never })).toThrow(Ip1ConfigurationError);
    expect(() => scenarioHeaders({ serverError: { status: 404 } })).toThrow(
      "scenario.serverError.status: must be from 500 to 599.",
    );
  });
});

describe("the texted-once check", () => {
  it("passes after one send to each phone, and names every phone texted twice after a blind resend", async () => {
    const mock = createIp1Mock();
    const client = clientFor(mock);
    await client.sendNki(42, request);
    mock.assertTextedOnce();
    await client.sendNki(42, { ...request, Users: [{ FirstName: "Anna", Phone: anna }] });
    expect(() => mock.assertTextedOnce()).toThrow(Ip1MockTextedTwiceError);
    expect(mock.ledger.textedMoreThanOnce()).toEqual([{ phone: anna, times: 2 }]);
  });
});
