// Many workers, one PostgreSQL ledger: 8 processes running the library send overlapping and sharded lists of 10,000
// people to the fake IP1 (test/support/fault-server.ts, which shares nothing with the client and counts each phone's
// sends), some killed with kill -9 at seeded moments. Afterwards every phone reached the server at most once, and
// the ledger holds every person in exactly one state that agrees with the server: never "not sent" for someone who
// was texted, "sent" only for someone texted once. A second wave (no kills) then reaches everyone the first left
// unclaimed, and no one twice.
// MANY_WORKERS_SEEDS=n runs n seeds (default 1); the bench (npm run bench -- --only ledger) runs more.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seededRandom } from "../../src/mock/seeded-random.js";
import { bundled } from "../support/bundled.js";
import { startFaultServer } from "../support/fault-server.js";
import { startPostgres, type TestPostgres } from "../support/postgres.js";
import { killGroup, type Started, start } from "../support/processes.js";

const PEOPLE = 10_000;
const SEEDS = Number(process.env.MANY_WORKERS_SEEDS ?? 1);

let postgres: TestPostgres;
let dir: string;
let child: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-many-workers-"));
  // Bundled (test/support/bundled.ts), as the other spawned children are: eleven workers compiling through tsx at once
  // would cost seconds.
  child = await bundled("test/at-most-once/many-workers-child.ts");
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const phoneOf = (i: number) => `+4670${String(i).padStart(7, "0")}`;

function shuffled<T>(list: T[], next: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Four disjoint shards covering everyone, and four overlapping lists (two in shuffled order): everyone is on ≥ 2. */
function lists(next: () => number): string[][] {
  const everyone = Array.from({ length: PEOPLE }, (_, i) => phoneOf(i));
  const quarter = PEOPLE / 4;
  const half = PEOPLE / 2;
  return [
    ...[0, 1, 2, 3].map((k) => everyone.slice(k * quarter, (k + 1) * quarter)),
    everyone.slice(0, half),
    everyone.slice(half).reverse(),
    shuffled(everyone.slice(quarter, quarter + half), next),
    shuffled(everyone, next).slice(0, half),
  ];
}

function worker(ledgerUrl: string, baseUrl: string, list: string[], name: string): Started {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(list));
  return start(process.execPath, [child, ledgerUrl, baseUrl, file, "wave"]);
}

const chunksDone = (output: string) => output.split("\n").filter((line) => line.startsWith("chunk ")).length;

for (let seed = 1; seed <= SEEDS; seed++) {
  it(`seed ${seed}: 8 workers, some killed -9, text each of 10,000 people at most once`, async () => {
    const next = seededRandom(seed);
    const ledgerUrl = await postgres.database();
    // Each answer a moment later, so a kill can land while requests are in flight.
    const server = await startFaultServer({ accept: true }, { delayMs: () => 1 });
    try {
      const first = lists(next).map((list, k) => worker(ledgerUrl, server.url, list, `s${seed}-w${k}`));
      // Three workers die by kill -9, each after a seeded number of its own chunks (so mid-run, requests in flight).
      const victims = shuffled([...first.keys()], next).slice(0, 3);
      const kills = victims.map(async (k) => {
        const victim = first[k] as Started;
        const after = 1 + Math.floor(next() * 15);
        await victim.waitForOutput((output) => chunksDone(output) >= after).catch(() => {});
        await killGroup(victim.pid);
      });
      await Promise.all(kills);
      const ended = await Promise.all(first.map((process) => process.exited));
      ended.forEach((end, k) => {
        if (!victims.includes(k)) expect(end.code, end.stderr).toBe(0);
      });
      expect(victims.every((k) => ended[k]?.signal === "SIGKILL" || ended[k]?.code === 0)).toBe(true);
      // The trial attacked something: kills landed before the victims finished.
      expect(victims.filter((k) => ended[k]?.signal === "SIGKILL").length).toBeGreaterThan(0);

      // A second wave over everyone, with no kills: it texts only those nobody claimed, and refuses the rest.
      const second = [0, 1].map((k) =>
        worker(ledgerUrl, server.url, lists(seededRandom(seed + 100))[7 - k * 3] as string[], `s${seed}-again${k}`),
      );
      const all = worker(
        ledgerUrl,
        server.url,
        Array.from({ length: PEOPLE }, (_, i) => phoneOf(i)),
        `s${seed}-all`,
      );
      for (const end of await Promise.all([...second, all].map((process) => process.exited))) {
        expect(end.code, end.stderr).toBe(0);
      }

      const twice = [...server.receipts].filter(([, times]) => times > 1);
      expect(twice).toEqual([]);
      const client = new pg.Client({ connectionString: ledgerUrl });
      await client.connect();
      const { rows } = await client.query<{ phone: string; state: string }>(
        "SELECT phone, state FROM ip1_nki_texts WHERE round = 'wave'",
      );
      await client.end();
      // One row per person (the unique key) and everyone has one after the second wave.
      expect(rows).toHaveLength(PEOPLE);
      expect(new Set(rows.map((row) => row.phone)).size).toBe(PEOPLE);
      for (const { phone, state } of rows) {
        const reached = server.receipts.get(phone) ?? 0;
        // in-flight: a killed worker's claim, which counts as unknown; the server may or may not have it.
        if (state === "sent") expect(reached, phone).toBe(1);
        else expect(["in-flight", "unknown"], `${phone} ${state} reached ${reached}`).toContain(state);
      }
      expect(server.receipts.size).toBeGreaterThan(PEOPLE * 0.9);
    } finally {
      await server.close();
    }
  }, 120_000);
}
