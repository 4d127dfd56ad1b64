// One contract, run against both stores (an SQLite file and a real PostgreSQL): what a claim takes, what it refuses
// and why, what again/force change, and that two connections or two processes racing for the same people each win a
// disjoint share. SQLite-only cases (damage, aliases of one file) are in sqlite-file.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ip1LedgerError } from "../../src/errors.js";
import type { Ledger, TextClaim, TextEntry } from "../../src/ledger/ledger.js";
import { openLedger } from "../../src/ledger/open.js";
import { SCHEMA_V1_TEXT_COLUMNS } from "../../src/ledger/rows.js";
import { openSqlite } from "../../src/ledger/sqlite-driver.js";
import { bundled } from "../support/bundled.js";
import { startPostgres, type TestPostgres } from "../support/postgres.js";
import { start } from "../support/processes.js";

let postgres: TestPostgres;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-ledger-"));
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
// Each store's spec for a fresh ledger, and whether two openLedger calls on one spec share it (a memory ledger,
// for simulator runs, belongs to its process alone, so the races between connections and processes are not its).
const stores = {
  sqlite: { newSpec: async () => join(dir, `ledger-${++files}.sqlite`), shared: true },
  postgres: { newSpec: () => postgres.database(), shared: true },
  memory: { newSpec: async () => "memory:", shared: false },
};

const claimOf = (i: number, round = "r1"): TextClaim => ({
  target: "https://api.ip1sms.com",
  nki: 42,
  round,
  phone: `+4670${String(i).padStart(7, "0")}`,
  messageHash: "a".repeat(64),
  from: "Acme",
  name: `Person ${i}`,
  line: i + 2,
});

async function all(ledger: Ledger, filter?: Parameters<Ledger["list"]>[0]): Promise<TextEntry[]> {
  const entries: TextEntry[] = [];
  for await (const entry of ledger.list(filter)) entries.push(entry);
  return entries;
}

describe.each(Object.entries(stores))("the %s ledger", (_kind, { newSpec, shared }) => {
  const opened: Ledger[] = [];
  const open = async (spec: string) => {
    const ledger = await openLedger(spec);
    opened.push(ledger);
    return ledger;
  };
  afterAll(async () => {
    await Promise.all(opened.map((ledger) => ledger.close()));
  });

  it("claims new texts, records outcomes with IP1's record, and gets and lists them", async () => {
    const ledger = await open(await newSpec());
    const result = await ledger.claim([claimOf(1), claimOf(2)]);
    expect(result.claimed.map((claim) => claim.phone)).toEqual([claimOf(1).phone, claimOf(2).phone]);
    expect(result.refused).toEqual([]);
    expect(await ledger.get(claimOf(1))).toMatchObject({ state: "in-flight", attempts: 1, name: "Person 1", line: 3 });
    await ledger.record([
      { ...claimOf(1), state: "sent", ip1: { id: "901", bundleId: "77", status: 0 } },
      { ...claimOf(2), state: "unknown", error: "Ip1TimeoutError: no answer" },
    ]);
    const first = await ledger.get(claimOf(1));
    expect(first).toMatchObject({ state: "sent", ip1: { id: "901", bundleId: "77", status: 0 }, from: "Acme" });
    expect(first?.messageHash).toBe("a".repeat(64));
    expect(await ledger.get(claimOf(2))).toMatchObject({ state: "unknown", error: "Ip1TimeoutError: no answer" });
    expect(await ledger.get(claimOf(3))).toBeUndefined();
    expect((await all(ledger)).map((entry) => entry.state)).toEqual(["sent", "unknown"]);
    expect((await all(ledger, { state: "unknown" })).map((entry) => entry.phone)).toEqual([claimOf(2).phone]);
    expect(await all(ledger, { nki: 43 })).toEqual([]);
    expect(await all(ledger, { round: "r1", target: "https://api.ip1sms.com", state: ["sent"] })).toHaveLength(1);
  });

  it("refuses a second claim of a text held as in-flight, sent or unknown, naming the state", async () => {
    const ledger = await open(await newSpec());
    await ledger.claim([claimOf(1), claimOf(2), claimOf(3)]);
    await ledger.record([
      { ...claimOf(2), state: "sent" },
      { ...claimOf(3), state: "unknown" },
    ]);
    const again = await ledger.claim([claimOf(1), claimOf(2), claimOf(3), claimOf(4)]);
    expect(again.claimed.map((claim) => claim.phone)).toEqual([claimOf(4).phone]);
    expect(again.refused.map(({ claim, state }) => [claim.phone, state])).toEqual([
      [claimOf(1).phone, "in-flight"],
      [claimOf(2).phone, "sent"],
      [claimOf(3).phone, "unknown"],
    ]);
    // Another round, NKI or target is another text.
    const other = await ledger.claim([
      claimOf(2, "r2"),
      { ...claimOf(2), nki: 43 },
      { ...claimOf(2), target: "mock:x" },
    ]);
    expect(other.claimed).toHaveLength(3);
  });

  it("takes sent texts over only with again, in-flight and unknown only with force, counting attempts", async () => {
    const ledger = await open(await newSpec());
    await ledger.claim([claimOf(1), claimOf(2), claimOf(3)]);
    await ledger.record([
      { ...claimOf(1), state: "sent", ip1: { id: "1" } },
      { ...claimOf(2), state: "unknown" },
    ]);
    const withAgain = await ledger.claim([claimOf(1), claimOf(2), claimOf(3)], { again: true });
    expect(withAgain.claimed.map((claim) => claim.phone)).toEqual([claimOf(1).phone]);
    const taken = await ledger.get(claimOf(1));
    expect(taken).toMatchObject({ state: "in-flight", attempts: 2 });
    expect(taken?.ip1).toBeUndefined();
    const withForce = await ledger.claim([claimOf(2), claimOf(3)], { force: true });
    expect(withForce.claimed).toHaveLength(2);
    expect(await ledger.get(claimOf(3))).toMatchObject({ attempts: 2 });
  });

  it("claims a text given twice in one claim once, refusing the repeat as in flight, even with force", async () => {
    const ledger = await open(await newSpec());
    const again = { ...claimOf(1), name: "Someone else" };
    const result = await ledger.claim([claimOf(1), again, claimOf(2)], { force: true, again: true });
    expect(result.claimed).toEqual([claimOf(1), claimOf(2)]);
    expect(result.refused).toEqual([{ claim: again, state: "in-flight" }]);
    expect(await ledger.get(claimOf(1))).toMatchObject({ state: "in-flight", attempts: 1, name: "Person 1" });
  });

  it("lets failed and refused texts be claimed again without a flag", async () => {
    const ledger = await open(await newSpec());
    await ledger.claim([claimOf(1), claimOf(2)]);
    await ledger.record([
      { ...claimOf(1), state: "failed", ip1: { status: 52 } },
      { ...claimOf(2), state: "refused", error: "400" },
    ]);
    const again = await ledger.claim([claimOf(1), claimOf(2)]);
    expect(again.claimed).toHaveLength(2);
    expect(await ledger.get(claimOf(2))).toMatchObject({ state: "in-flight", attempts: 2 });
    expect((await ledger.get(claimOf(2)))?.error).toBeUndefined();
  });

  if (!shared) return;
  // Only where two openLedger calls share one ledger.
  it("gives each text to exactly one of two connections claiming the same people in opposite orders", async () => {
    const spec = await newSpec();
    const [a, b] = [await open(spec), await open(spec)] as [Ledger, Ledger];
    const people = Array.from({ length: 300 }, (_, i) => claimOf(i));
    const batches = (list: TextClaim[]) => Array.from({ length: 30 }, (_, i) => list.slice(i * 10, i * 10 + 10));
    const claimAll = async (ledger: Ledger, list: TextClaim[]) => {
      const won: string[] = [];
      for (const batch of batches(list)) won.push(...(await ledger.claim(batch)).claimed.map((claim) => claim.phone));
      return won;
    };
    const [wonA, wonB] = await Promise.all([claimAll(a, people), claimAll(b, [...people].reverse())]);
    expect(wonA.length + wonB.length).toBe(300);
    expect(new Set([...wonA, ...wonB]).size).toBe(300);
    expect((await all(a)).every((entry) => entry.attempts === 1 && entry.state === "in-flight")).toBe(true);
  });

  it("gives each text to exactly one of two processes claiming the same people at once", async () => {
    const spec = await newSpec();
    await (await open(spec)).claim([]); // made (and migrated) before the race
    const go = join(dir, `go-${files}-${Date.now()}`);
    const claimChild = await bundled("test/ledger/claim-child.ts");
    const child = (order: string) => start(process.execPath, [claimChild, spec, go, "400", order]);
    const racers = [child("forward"), child("reverse")];
    await Promise.all(racers.map((racer) => racer.waitForOutput("ready")));
    writeFileSync(go, "");
    const [wonA, wonB] = await Promise.all(
      racers.map(async (racer) => {
        const { code, stdout, stderr } = await racer.exited;
        expect(code, stderr).toBe(0);
        return JSON.parse(stdout.trim().split("\n").at(-1) as string) as string[];
      }),
    );
    expect((wonA as string[]).length + (wonB as string[]).length).toBe(400);
    expect(new Set([...(wonA as string[]), ...(wonB as string[])]).size).toBe(400);
    const ledger = await open(spec);
    expect(await all(ledger)).toHaveLength(400);
  });
});

describe("the PostgreSQL ledger's URL", () => {
  it("never shows its password, in location or in an error", async () => {
    const url = await postgres.database();
    const password = new URL(url).password;
    const ledger = await openLedger(url);
    expect(ledger.location).not.toContain(password);
    expect(ledger.location).toContain("***");
    await ledger.close();
    const wrong = url.replace(password, "Wrong-Secret-123");
    const error = await openLedger(wrong).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Ip1LedgerError);
    expect(String((error as Error).message)).toMatch(/could not be opened/);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain("Wrong-Secret-123");
    expect((error as Error).cause).toBeUndefined();
  });
});

describe("a ledger of schema version 1", () => {
  // Made here as version 1 made it, with its index by state, which version 2 drops (src/ledger/rows.ts).
  const v1 = (table: string, index: string, id = "") =>
    `CREATE TABLE ${table} (${id}${SCHEMA_V1_TEXT_COLUMNS});
     CREATE INDEX ${index} ON ${table} (state);
     INSERT INTO ${table} (target, nki, round, phone, message_hash, sender, state, claimed_at, updated_at, attempts, ip1_id)
       VALUES ('${claimOf(1).target}', 42, 'r1', '${claimOf(1).phone}', 'h', 'Acme', 'sent', 't', 't', 1, '901');`;
  const stored = {
    sqlite: async () => {
      const file = join(dir, `v1-${++files}.sqlite`);
      const { db } = await openSqlite(file);
      db.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
        ${v1("texts", "texts_by_state")}`);
      db.close();
      const query = async (sql: string) => {
        const { db } = await openSqlite(file);
        try {
          if (sql.startsWith("SELECT")) return db.prepare(sql).all() as Record<string, unknown>[];
          db.exec(sql);
          return [];
        } finally {
          db.close();
        }
      };
      const index = "SELECT name FROM sqlite_master WHERE name = 'texts_by_state'";
      return { spec: file, query, index, versionTable: "schema_version" };
    },
    postgres: async () => {
      const url = await postgres.database();
      const query = async (sql: string) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(sql)).rows as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      };
      await query(`CREATE TABLE ip1_nki_schema_version (version INTEGER NOT NULL);
        INSERT INTO ip1_nki_schema_version VALUES (1);
        ${v1("ip1_nki_texts", "ip1_nki_texts_by_state", "id BIGSERIAL PRIMARY KEY,")}`);
      const index = "SELECT indexname FROM pg_indexes WHERE indexname = 'ip1_nki_texts_by_state'";
      return { spec: url, query, index, versionTable: "ip1_nki_schema_version" };
    },
  };

  it.each(Object.entries(stored))(
    "is brought to version 2 by %s on open, keeping its texts; one from a newer ip1-nki is refused",
    async (_kind, make) => {
      const { spec, query, index, versionTable } = await make();
      expect(await query(index)).toHaveLength(1);
      const ledger = await openLedger(spec);
      expect(await ledger.get(claimOf(1))).toMatchObject({ state: "sent", ip1: { id: "901" } });
      expect((await ledger.claim([claimOf(1), claimOf(2)])).refused.map(({ state }) => state)).toEqual(["sent"]);
      await ledger.close();
      expect(await query(index)).toEqual([]);
      expect(await query(`SELECT version FROM ${versionTable}`)).toEqual([{ version: 2 }]);

      await query(`UPDATE ${versionTable} SET version = 3`);
      const refused = await openLedger(spec).catch((caught: unknown) => caught);
      expect(refused).toBeInstanceOf(Ip1LedgerError);
      expect((refused as Error).message).toMatch(/schema version 3, written by a newer ip1-nki/);
      expect(await query(`SELECT version FROM ${versionTable}`)).toEqual([{ version: 3 }]);
    },
  );
});
