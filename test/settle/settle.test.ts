// Settling unknowns and following texts to delivery, through the library, on a real SQLite ledger and the simulator:
// a "sent, then 5xx" chunk is found in IP1's log and becomes "sent" with the log's IDs; texts claimed but never sent
// (a crash before the request) stay unknown with a note; following reaches delivered or failed for every sent text in
// simulated time, resumably and past a 429; and nobody is texted twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  canonicalTarget,
  createIp1Client,
  followDelivery,
  type Ledger,
  openLedger,
  settleUnknowns,
  type TextEntry,
} from "ip1-nki";
import { createIp1Mock } from "ip1-nki/mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const message = "Hej! Hur nöjd är du med besöket? Svara här: https://example.se/nki/42";
const phoneOf = (index: number) => `+4670${String(1_000_000 + index).padStart(7, "0")}`;
const users = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ FirstName: `P${from + i}`, Phone: phoneOf(from + i) }));
const target = canonicalTarget("https://api.ip1sms.com");

let dir: string;
let ledger: Ledger;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-settle-"));
  ledger = await openLedger(join(dir, "ledger.sqlite"), {});
});
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

async function all(state?: TextEntry["state"]) {
  const entries: TextEntry[] = [];
  for await (const entry of ledger.list(state ? { state } : {})) entries.push(entry);
  return entries;
}

/** A bulk send of 30 whose second chunk is "sent, then 5xx", and 3 texts claimed but never sent (a crash). */
async function sendWithUnknowns(mock: ReturnType<typeof createIp1Mock>) {
  const client = createIp1Client({ token: "t", env: {}, fetch: mock.fetch, maxRetryDelayMs: 1 });
  mock.use({});
  let chunk = 0;
  const fetch = (input: Request) => {
    if (new URL(input.url).pathname.endsWith("/users/send") && chunk++ === 1) mock.once({ serverError: {} });
    return mock.fetch(input);
  };
  const sender = createIp1Client({ token: "t", env: {}, fetch });
  await sender.sendNkiBulk(
    42,
    { Users: users(0, 30), From: "Acme", Message: message },
    {
      ledger,
      chunkSize: 10,
      concurrency: 1,
      continueOnError: true,
    },
  );
  await ledger.claim(
    users(30, 3).map((user) => ({
      target,
      nki: 42,
      round: "default",
      phone: user.Phone,
      messageHash: "x",
      from: "Acme",
    })),
  );
  return client;
}

describe("settleUnknowns", () => {
  it("finds every truly sent unknown in IP1's log with its ID, and leaves the others unknown with a note", async () => {
    const mock = createIp1Mock();
    const client = await sendWithUnknowns(mock);
    expect((await all("unknown")).map((entry) => entry.phone)).toEqual(users(10, 10).map((user) => user.Phone));
    expect(await all("in-flight")).toHaveLength(3);

    // In-flight texts claimed just now may belong to a live send: left alone within the grace period.
    const result = await settleUnknowns(ledger, client);
    expect(result.skipped).toHaveLength(3);
    expect(result.settled).toHaveLength(10);
    for (const { entry, state, ip1 } of result.settled) {
      const [sms] = mock.ledger.sentTo(entry.phone);
      expect(state).toBe("sent");
      expect(ip1).toMatchObject({ id: String(sms?.id), bundleId: String(sms?.bundleId), status: 0 });
    }
    expect(result.stillUnknown).toEqual([]);
    const afterCrash = await settleUnknowns(ledger, client, { inFlightGraceMs: 0 });
    expect(afterCrash.settled).toEqual([]);
    expect(afterCrash.stillUnknown.map(({ entry }) => entry.phone)).toEqual(users(30, 3).map((user) => user.Phone));
    const unknown = await all("unknown");
    expect(unknown).toHaveLength(3);
    for (const entry of unknown) expect(entry.note).toMatch(/^not in IP1's log after 0 minutes/);
    expect(await all("sent")).toHaveLength(30);
    expect(mock.ledger.entries).toHaveLength(30);
    mock.assertTextedOnce();
  });

  it("finds a text by its BundleID when the answer was partly read, whatever its claim's time", async () => {
    const mock = createIp1Mock({ startTime: Date.parse("2020-01-01T00:00:00Z") });
    const client = createIp1Client({ token: "t", env: {}, fetch: mock.fetch });
    const [record] = await client.sendNki(42, { Users: users(0, 1), From: "Acme", Message: message });
    const key = { target, nki: 42, round: "default", phone: phoneOf(0) };
    await ledger.claim([{ ...key, messageHash: "x", from: "Acme" }]);
    await ledger.record([{ ...key, state: "unknown", ip1: { bundleId: String(record?.BundleID) }, error: "cut off" }]);
    const result = await settleUnknowns(ledger, client);
    expect(result.settled.map(({ ip1 }) => ip1.id)).toEqual([String(record?.ID)]);
    expect((await ledger.get(key))?.state).toBe("sent");
  });

  it("does not take another message to the same phone for this text", async () => {
    const mock = createIp1Mock();
    const client = createIp1Client({ token: "t", env: {}, fetch: mock.fetch });
    await client.sendNki(7, { Users: users(0, 1), From: "Acme", Message: "another survey" });
    await ledger.claim([{ target, nki: 42, round: "default", phone: phoneOf(0), messageHash: "x", from: "Acme" }]);
    const result = await settleUnknowns(ledger, client, { inFlightGraceMs: 0 });
    expect(result.settled).toHaveLength(0);
    expect(result.stillUnknown[0]?.note).toMatch(/another message/);
  });
});

describe("followDelivery", () => {
  it("reaches delivered or failed for every sent text in simulated time, resumably, past a 429", async () => {
    const mock = createIp1Mock({ delivery: { failLater: { [phoneOf(3)]: 52, [phoneOf(15)]: 51 } } });
    const client = await sendWithUnknowns(mock);
    await settleUnknowns(ledger, client, { inFlightGraceMs: 0 });
    const simulated = { sleep: async (ms: number) => mock.advance(ms), now: () => mock.now.getTime() };

    const first = await followDelivery(ledger, client, { ...simulated, maxPolls: 1 });
    expect(first.stoppedBy).toBe("max-polls");
    expect(first.pending).toHaveLength(30);

    mock.onceRead({ rateLimited: { retryAfterSeconds: 0 } });
    mock.onceRead({ rateLimited: { retryAfterSeconds: 0 } });
    mock.onceRead({ rateLimited: { retryAfterSeconds: 120 } });
    const second = await followDelivery(ledger, client, { ...simulated, intervalMs: 5_000 });
    expect(second.lastError?.name).toBe("Ip1RateLimitError");
    expect(second.stoppedBy).toBe("complete");
    expect(second.delivered).toHaveLength(28);
    expect(second.failed.map((entry) => [entry.phone, entry.ip1?.status])).toEqual([
      [phoneOf(3), 52],
      [phoneOf(15), 51],
    ]);
    expect(second.pending).toHaveLength(0);
    const failed = await all("failed");
    expect(failed.map((entry) => entry.ip1?.status).sort()).toEqual([51, 52]);
    expect((await all("sent")).every((entry) => entry.ip1?.status === 22)).toBe(true);

    const again = await followDelivery(ledger, client, simulated);
    expect(again).toMatchObject({ polls: 0, stoppedBy: "complete" });
    expect(again.delivered).toHaveLength(28);
    mock.assertTextedOnce();
  });

  it("stops at the time bound with the rest pending", async () => {
    const mock = createIp1Mock({ delivery: { phoneAfterMs: 3 * 86_400_000 } });
    const client = createIp1Client({ token: "t", env: {}, fetch: mock.fetch });
    await client.sendNkiBulk(42, { Users: users(0, 2), From: "Acme", Message: message }, { ledger });
    const report = await followDelivery(ledger, client, {
      sleep: async (ms) => mock.advance(ms),
      now: () => mock.now.getTime(),
      untilMs: 86_400_000,
      intervalMs: 3_600_000,
    });
    expect(report.stoppedBy).toBe("until");
    expect(report.pending.map((entry) => entry.ip1?.status)).toEqual([21, 21]);
  });
});
