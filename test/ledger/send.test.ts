// The library's sends through the ledger: claimed before the request, recorded after the answer (before onProgress),
// refused for people already texted in the round, whatever the base URL's spelling.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Ip1LedgerRefusalError, type Ip1ValidationError, type NkiUser, type OutgoingSms } from "../../src/index.js";
import type { Ledger, TextEntry } from "../../src/ledger/ledger.js";
import { openLedger } from "../../src/ledger/open.js";
import { json, rejectionOf, scriptedFetch, testClient } from "../client/support.js";

let dir: string;
let ledger: Ledger;
let files = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-send-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => ledger?.close());
const freshLedger = async () => {
  ledger = await openLedger(join(dir, `ledger-${++files}.sqlite`));
  return ledger;
};

const users = (count: number, from = 0): NkiUser[] =>
  Array.from({ length: count }, (_, i) => ({
    FirstName: `P${from + i}`,
    Phone: `+4670${String(from + i).padStart(7, "0")}`,
  }));
const body = (list: NkiUser[]) => ({ From: "Acme", Message: "Hur nöjd är du?", Users: list });

let nextId = 1000;
/** Answers 200 with one record per user (Status from `statusOf`), as IP1 does: To without the "+". */
function echo(statusOf: (phone: string) => number | undefined = () => 0) {
  return async (request: Request) => {
    const sent = (await request.clone().json()) as { Users: NkiUser[] };
    const bundle = nextId++;
    const records: OutgoingSms[] = [];
    for (const user of sent.Users) {
      const status = statusOf(user.Phone);
      if (status !== undefined)
        records.push({
          ID: nextId++,
          BundleID: bundle,
          Status: status,
          To: user.Phone.slice(1),
          From: "Acme",
          Message: "m",
        });
    }
    return json(200, records);
  };
}

async function entries(): Promise<TextEntry[]> {
  const list: TextEntry[] = [];
  for await (const entry of ledger.list()) list.push(entry);
  return list;
}

describe("sendNki with a ledger", () => {
  it("records each recipient with IP1's record, then refuses the same round, sending nothing", async () => {
    await freshLedger();
    const { fetch, requests } = scriptedFetch(echo());
    const client = testClient(fetch);
    await client.sendNki(42, body(users(2)), { ledger, round: "march" });
    const recorded = await entries();
    expect(recorded.map((entry) => [entry.state, entry.target, entry.round, entry.name])).toEqual([
      ["sent", "https://api.test", "march", "P0"],
      ["sent", "https://api.test", "march", "P1"],
    ]);
    expect(recorded[0]?.ip1).toEqual({ id: expect.any(String), bundleId: expect.any(String), status: 0 });
    const refusal = await rejectionOf<Ip1LedgerRefusalError>(
      client.sendNki(42, body(users(3)), { ledger, round: "march" }),
    );
    expect(refusal).toBeInstanceOf(Ip1LedgerRefusalError);
    expect(refusal).toMatchObject({ outcome: "not-sent", refused: 2, counts: { sent: 2 } });
    // Counts only: no phone number or name reaches an error that may be logged.
    expect(JSON.stringify(refusal) + refusal.message).not.toMatch(/4670|P0/);
    expect(refusal.message).toMatch(/holds 2 of 3 recipients .*\(2 sent\), so nothing was sent/);
    expect(requests).toHaveLength(1);
    // The third was claimed and given back: a later call may send it.
    expect(
      (await ledger.get({ target: "https://api.test", nki: 42, round: "march", phone: "+46700000002" }))?.state,
    ).toBe("refused");
    await client.sendNki(42, body(users(1, 2)), { ledger, round: "march" });
    await client.sendNki(42, body(users(2)), { ledger, round: "april" });
    await client.sendNki(42, body(users(2)), { ledger, round: "march", sendAgain: true });
    expect(requests).toHaveLength(4);
    // P0 and P1 sent again on purpose; P2 claimed once more after being given back.
    expect((await entries()).filter((entry) => entry.attempts === 2).map((entry) => entry.name)).toEqual([
      "P0",
      "P1",
      "P2",
    ]);
  });

  it("holds people by the target, whatever the base URL's spelling", async () => {
    await freshLedger();
    const { fetch, requests } = scriptedFetch(echo());
    await testClient(fetch, { baseUrl: "http://localhost:8080" }).sendNki(42, body(users(1)), { ledger });
    for (const baseUrl of ["http://127.0.0.1:8080/", "http://[::1]:8080", "http://LOCALHOST:8080"]) {
      await expect(testClient(fetch, { baseUrl }).sendNki(42, body(users(1)), { ledger })).rejects.toThrow(
        Ip1LedgerRefusalError,
      );
    }
    await testClient(fetch, { baseUrl: "http://localhost:8081" }).sendNki(42, body(users(1)), { ledger });
    expect(requests).toHaveLength(2);
  });

  it("records failed (a failed Status, or no record), refused (not sent) and unknown outcomes", async () => {
    await freshLedger();
    const statuses = new Map([
      ["+46700000000", 0],
      ["+46700000001", 52],
    ]);
    const { fetch } = scriptedFetch(
      echo((phone) => statuses.get(phone)),
      json(400, { Message: "bad" }),
      json(500, { Message: "down" }),
      new Response(null, { status: 303, headers: { location: "https://api.test/done" } }),
    );
    const client = testClient(fetch);
    await client.sendNki(42, body(users(3)), { ledger });
    await rejectionOf(client.sendNki(42, body(users(1, 3)), { ledger }));
    await rejectionOf(client.sendNki(42, body(users(1, 4)), { ledger }));
    await rejectionOf(client.sendNki(42, body(users(1, 5)), { ledger }));
    const states = (await entries()).map((entry) => [entry.phone, entry.state]);
    expect(states).toEqual([
      ["+46700000000", "sent"],
      ["+46700000001", "failed"],
      ["+46700000002", "failed"],
      ["+46700000003", "refused"],
      ["+46700000004", "unknown"],
      ["+46700000005", "unknown"],
    ]);
    // failed and refused may be sent again without a flag; unknown only with forceUnknown.
    await client.sendNki(42, body(users(2, 1)), { ledger }).catch(() => {});
    await expect(client.sendNki(42, body(users(1, 4)), { ledger })).rejects.toMatchObject({ counts: { unknown: 1 } });
  });

  it("refuses ledger options without a ledger, and a bad round, sending nothing", async () => {
    const { fetch, requests } = scriptedFetch(echo());
    const client = testClient(fetch);
    const error = await rejectionOf<Ip1ValidationError>(client.sendNki(42, body(users(1)), { round: "march" }));
    expect(error.problems).toEqual([{ path: "round", message: "takes effect only with a ledger: pass ledger too" }]);
    await freshLedger();
    await expect(client.sendNki(42, body(users(1)), { ledger, round: "" })).rejects.toThrow(/round: must be a string/);
    expect(requests).toHaveLength(0);
  });
});

describe("sendNkiBulk with a ledger", () => {
  it("claims each chunk just before its request, sends only the people not held, and reports both", async () => {
    await freshLedger();
    const { fetch, requests } = scriptedFetch(echo());
    const client = testClient(fetch);
    await client.sendNki(42, body(users(2, 3)), { ledger });
    const seenInFlight: number[] = [];
    const { fetch: watching, requests: bulkRequests } = scriptedFetch(async (request) => {
      // At this chunk's request its people are in flight, and no later chunk's person is claimed yet.
      const states = (await entries()).map((entry) => entry.state);
      seenInFlight.push(states.filter((state) => state === "in-flight").length);
      return echo()(request);
    });
    const result = await testClient(watching).sendNkiBulk(42, body(users(10)), {
      ledger,
      chunkSize: 4,
      concurrency: 1,
    });
    expect(requests).toHaveLength(1);
    expect(bulkRequests.map(({ body: text }) => JSON.parse(text).Users.length)).toEqual([3, 3, 2]);
    expect(seenInFlight).toEqual([3, 3, 2]);
    expect(result.recipients).toEqual({ sent: 8, failed: 0, refused: 0, unknown: 0, held: 2 });
    expect(result.held).toEqual({ sent: 2 });
    const chunk0 = result.chunks[0];
    expect(chunk0?.recipients?.map((recipient) => [recipient.index, recipient.outcome, recipient.heldAs])).toEqual([
      [0, "sent", undefined],
      [1, "sent", undefined],
      [2, "sent", undefined],
      [3, "held", "sent"],
    ]);
    expect(chunk0?.recipients?.[0]?.ip1).toMatchObject({ id: expect.any(String), bundleId: expect.any(String) });
    const again = await testClient(watching).sendNkiBulk(42, body(users(10)), { ledger, chunkSize: 4 });
    expect(again.chunks.map((chunk) => chunk.outcome)).toEqual(["skipped", "skipped", "skipped"]);
    expect(again.recipients.held).toBe(10);
    expect(bulkRequests).toHaveLength(3);
  });

  it("records a chunk's outcomes before onProgress, so a throwing callback loses none", async () => {
    await freshLedger();
    const { fetch } = scriptedFetch(echo());
    const client = testClient(fetch);
    const call = client.sendNkiBulk(42, body(users(6)), {
      ledger,
      chunkSize: 2,
      concurrency: 1,
      onProgress: () => {
        throw new Error("callback failed");
      },
    });
    await expect(call).rejects.toThrow("callback failed");
    const states = (await entries()).map((entry) => entry.state);
    expect(states).toEqual(["sent", "sent"]);
  });

  it("checks every chunk's size before claiming or sending any", async () => {
    await freshLedger();
    const { fetch, requests } = scriptedFetch(echo());
    const client = testClient(fetch, { maxRequestBytes: 1000 });
    const list = users(9);
    (list[7] as NkiUser).Extra = "x".repeat(950);
    const error = await rejectionOf<Ip1ValidationError>(
      client.sendNkiBulk(42, body(list), { ledger, chunkSize: 3, duplicatePhones: "keep-first" }),
    );
    expect(error.problems[0]?.path).toBe("chunk 2 (Users[6] to Users[8])");
    expect(requests).toHaveLength(0);
    expect(await entries()).toEqual([]);
  });

  it("marks a chunk unknown after a 5xx, stops, and leaves later people unclaimed", async () => {
    await freshLedger();
    const { fetch, requests } = scriptedFetch(echo(), json(502, { Message: "bad gateway" }));
    const result = await testClient(fetch).sendNkiBulk(42, body(users(6)), { ledger, chunkSize: 2, concurrency: 1 });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["sent", "unknown", "skipped"]);
    expect(requests).toHaveLength(2);
    expect((await entries()).map((entry) => entry.state)).toEqual(["sent", "sent", "unknown", "unknown"]);
  });

  it("stops after a chunk whose outcomes the ledger cannot record, leaving them in flight (unknown)", async () => {
    const real = await freshLedger();
    const failing: Ledger = {
      location: real.location,
      claim: (texts, options) => real.claim(texts, options),
      record: async () => {
        throw new Error("disk full");
      },
      get: (key) => real.get(key),
      list: (filter) => real.list(filter),
      close: () => real.close(),
    };
    const { fetch, requests } = scriptedFetch(echo());
    const client = testClient(fetch);
    const result = await client.sendNkiBulk(42, body(users(6)), { ledger: failing, chunkSize: 2, concurrency: 1 });
    expect(result.chunks.map((chunk) => chunk.outcome)).toEqual(["sent", "skipped", "skipped"]);
    expect(result.chunks[0]?.ledgerError).toMatchObject({ name: "Ip1LedgerError", outcome: "unknown" });
    expect(result.chunks[0]?.ledgerError?.message).toMatch(
      /could not record the outcome of 2 recipients \(disk full\)/,
    );
    expect(requests).toHaveLength(1);
    expect((await entries()).map((entry) => entry.state)).toEqual(["in-flight", "in-flight"]);
    const error = await rejectionOf(client.sendNki(42, body(users(1, 6)), { ledger: failing }));
    expect(error).toMatchObject({ name: "Ip1LedgerError", outcome: "unknown" });
    expect(error.message).toMatch(/The ledger .* could not record .* in flight, which counts as unknown/);
  });
});
