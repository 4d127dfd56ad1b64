// The simulator keeps IP1's sent log: every text it sent (a "sent, then 5xx" included) is in it with the send's ID
// and BundleID, statuses move 0 → 21 → 22 (or to a failure) only when the test advances simulated time, every answer
// passes the spec's validators, and all three doors answer the reads: in-process fetch, MSW and HTTP, whose control
// surface (/_mock/…) reads the ledger, resets, advances time and asserts that nobody was texted twice.
import { createIp1Client, Ip1ServerError } from "ip1-nki";
import { createIp1Mock, startIp1MockServer } from "ip1-nki/mock";
import { ip1MockHandlers } from "ip1-nki/mock/msw";
import { setupServer } from "msw/node";
import { describe, expect, it } from "vitest";
import {
  validateGetSentSmsResponse200,
  validateListSentSmsInBundleResponse200,
  validateListSentSmsResponse200,
} from "../../generated/validators.js";
import { rejectionOf } from "../client/support.js";

const users = [
  { FirstName: "Anna", Phone: "+46701234567" },
  { FirstName: "Erik", Phone: "+46731234568" },
];
const body = { Users: users, From: "Acme", Message: "Hej! Hur nöjd är du?" };
const clientOf = (mock: ReturnType<typeof createIp1Mock>) =>
  createIp1Client({ token: "t", env: {}, fetch: mock.fetch, maxRetryDelayMs: 1 });

describe("the in-process simulator's sent log", () => {
  it("holds every text with the send's ID and BundleID, and moves statuses only in simulated time", async () => {
    const mock = createIp1Mock({ startTime: Date.parse("2026-03-02T09:00:00Z") });
    const client = clientOf(mock);
    const sent = await client.sendNki(42, body);
    const [first] = sent;
    const logged = await client.getSentSms(first?.ID as number);
    expect(validateGetSentSmsResponse200(logged)).toBe(true);
    expect(logged).toMatchObject({
      ID: first?.ID,
      BundleID: first?.BundleID,
      To: "+46701234567",
      Status: 0,
      Message: body.Message,
      Created: "2026-03-02T09:00:00.000Z",
    });
    mock.advance(5_000);
    expect((await client.getSentSms(first?.ID as number)).Status).toBe(21);
    mock.advance(55_000);
    const delivered = await client.listSentSmsInBundle(first?.BundleID as number);
    expect(validateListSentSmsInBundleResponse200(delivered)).toBe(true);
    expect(delivered.map((record) => [record.ID, record.Status])).toEqual(sent.map((record) => [record.ID, 22]));
    expect(delivered[0]?.Modified).toBe("2026-03-02T09:01:00.000Z");
  });

  it("fails texts later as the delivery plan says, and by the seed's failure rate reproducibly", async () => {
    const mock = createIp1Mock({ delivery: { failLater: { "+46731234568": 51 } } });
    const client = clientOf(mock);
    await client.sendNki(42, body);
    mock.advance(5_000);
    const statuses = (await client.searchSentSms({ to: ["+46701234567", "+46731234568"] })).map((r) => r.Status);
    expect(statuses).toEqual([21, 51]);
    const rates = [1, 2].map(() => {
      const seeded = createIp1Mock({ seed: 7, delivery: { failureRate: 0.5 } });
      return seeded;
    });
    const finals: number[][] = [];
    for (const seeded of rates) {
      await clientOf(seeded).sendNki(42, { ...body, Users: manyUsers(20) });
      seeded.advance(60_000);
      finals.push(seeded.sentLog.records().map((record) => record.Status as number));
    }
    expect(finals[0]).toEqual(finals[1]);
    expect(new Set(finals[0])).toEqual(new Set([22, 52]));
  });

  it('logs a "sent, then 5xx" send: the client sees an unknown outcome, the log holds the texts', async () => {
    const mock = createIp1Mock();
    const client = clientOf(mock);
    mock.once({ serverError: { status: 503 } });
    const error = await rejectionOf(client.sendNki(42, body));
    expect(error).toBeInstanceOf(Ip1ServerError);
    expect(error.outcome).toBe("unknown");
    const found = await client.searchSentSms({ to: ["+46731234568"] });
    expect(validateListSentSmsResponse200(found)).toBe(true);
    expect(found).toHaveLength(1);
    expect(found[0]?.ID).toBe(mock.ledger.sentTo("+46731234568")[0]?.id);
  });

  it("reads honour a queued failure, and the client retries the read", async () => {
    const mock = createIp1Mock();
    const client = clientOf(mock);
    await client.sendNki(42, body);
    mock.onceRead({ serverError: {} });
    mock.onceRead({ rateLimited: { retryAfterSeconds: 0 } });
    expect(await client.searchSentSms({})).toHaveLength(2);
    expect(mock.requestCount).toBe(4);
  });

  it("answers 404 for an unknown ID, 400 for one that is not a number, and 401 without credentials", async () => {
    const mock = createIp1Mock();
    const get = (path: string, headers: Record<string, string> = { Authorization: "Bearer t" }) =>
      mock.fetch(`https://api.ip1sms.com${path}`, { headers }).then((response) => response.status);
    expect(await get("/api/sms/sent/123")).toBe(404);
    expect(await get("/api/sms/sent/abc")).toBe(400);
    expect(await get("/api/sms/sent", {})).toBe(401);
    expect(await get("/api/sms/sent/bundle/5")).toBe(200);
  });
});

describe("the MSW door", () => {
  it("answers the sent log's reads at IP1's default URL", async () => {
    const mock = createIp1Mock();
    const server = setupServer(...ip1MockHandlers(mock));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const client = createIp1Client({ token: "t", env: {} });
      const [record] = await client.sendNki(42, body);
      expect((await client.getSentSms(record?.ID as number)).BundleID).toBe(record?.BundleID);
      expect(await client.listSentSmsInBundle(record?.BundleID as number)).toHaveLength(2);
    } finally {
      server.close();
    }
  });
});

describe("the HTTP door and its control surface", () => {
  it("reads, advances, asserts texted once, and resets over HTTP", async () => {
    const mock = createIp1Mock();
    const server = await startIp1MockServer(mock);
    try {
      const client = createIp1Client({ token: "t", env: {}, baseUrl: server.url });
      const control = async (method: string, path: string, payload?: unknown) => {
        const response = await fetch(`${server.url}${path}`, {
          method,
          ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect((await control("POST", "/_mock/once", { serverError: {} })).status).toBe(200);
      await rejectionOf(client.sendNki(42, body));
      const ledger = await control("GET", "/_mock/ledger");
      expect(ledger.body.sent).toHaveLength(2);
      expect((ledger.body.log as { Status: number }[]).map((record) => record.Status)).toEqual([0, 0]);
      expect((await control("POST", "/_mock/advance?ms=60000")).status).toBe(200);
      const found = await client.searchSentSms({ to: ["+46701234567"] });
      expect(found.map((record) => record.Status)).toEqual([22]);
      expect(await control("GET", "/_mock/assert-texted-once")).toMatchObject({ status: 200, body: { texted: 2 } });
      await client.sendNki(42, { ...body, Users: users.slice(0, 1) });
      const twice = await control("GET", "/_mock/assert-texted-once");
      expect(twice.status).toBe(409);
      expect(twice.body.repeated).toEqual([{ phone: "+46701234567", times: 2 }]);
      expect((await control("POST", "/_mock/advance?ms=soon")).status).toBe(400);
      expect((await control("POST", "/_mock/reset")).status).toBe(200);
      expect((await control("GET", "/_mock/ledger")).body.sent).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

function manyUsers(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    FirstName: `P${index}`,
    Phone: `+4670${String(1_000_000 + index).padStart(7, "0")}`,
  }));
}
