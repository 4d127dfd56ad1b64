// The SQLite ledger is its file: every spelling of one file's path is one ledger, and a damaged file is refused with a
// message naming it, never deleted, never read as empty. What SQLite promises (https://www.sqlite.org/howtocorrupt.html,
// https://www.sqlite.org/wal.html): with WAL and synchronous=FULL a committed transaction survives power loss on a
// filesystem that honours fsync; the log is replayed up to its first bad frame. Damage beyond that (blocks zeroed
// after they were synced) is detected here where it can be: quick_check over every page of the file, and a log
// with synced commits after a bad frame.
import {
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ip1LedgerError } from "../../src/errors.js";
import type { Ledger, TextClaim } from "../../src/ledger/ledger.js";
import { openLedger } from "../../src/ledger/open.js";
import { bundled } from "../support/bundled.js";
import { start } from "../support/processes.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-sqlite-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const claimOf = (i: number): TextClaim => ({
  target: "https://api.ip1sms.com",
  nki: 42,
  round: "r1",
  phone: `+4670${String(i).padStart(7, "0")}`,
  messageHash: "h",
  from: "Acme",
});

let made = 0;
function freshDir() {
  const path = join(dir, `case-${++made}`);
  mkdirSync(path);
  return path;
}

async function all(ledger: Ledger) {
  const entries = [];
  for await (const entry of ledger.list()) entries.push(entry);
  return entries;
}

async function count(ledger: Ledger) {
  let n = 0;
  for await (const _ of ledger.list()) n++;
  return n;
}

/** A ledger with `texts` texts claimed one transaction each, closed (so everything is in the file). */
async function ledgerWith(file: string, texts: number) {
  const ledger = await openLedger(file);
  for (let i = 0; i < texts; i++) await ledger.claim([claimOf(i)]);
  await ledger.close();
}

function zero(file: string, offset: number, length: number) {
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(length), 0, length, offset);
  closeSync(fd);
}

async function refusal(file: string): Promise<Ip1LedgerError> {
  const error = await openLedger(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Ip1LedgerError);
  return error as Ip1LedgerError;
}

describe("one file, many names", () => {
  it("is one ledger through a symlink and another relative spelling, and knows its real path", async () => {
    const home = freshDir();
    const file = join(home, "ledger.sqlite");
    const first = await openLedger(file);
    await first.claim([claimOf(1)]);
    symlinkSync(file, join(home, "alias.sqlite"));
    const viaLink = await openLedger(join(home, "alias.sqlite"));
    const viaDots = await openLedger(join(home, "..", `case-${made}`, ".", "ledger.sqlite"));
    expect(viaLink.location).toBe(first.location);
    expect(viaDots.location).toBe(first.location);
    for (const other of [viaLink, viaDots]) {
      expect((await other.claim([claimOf(1)])).refused).toEqual([{ claim: claimOf(1), state: "in-flight" }]);
    }
    expect((await viaLink.claim([claimOf(2)])).claimed).toHaveLength(1);
    expect((await viaDots.claim([claimOf(2)])).refused[0]?.state).toBe("in-flight");
    await Promise.all([first.close(), viaLink.close(), viaDots.close()]);
  });

  it("refuses a file with a second hard link, by either name, naming the fix", async () => {
    const home = freshDir();
    const file = join(home, "ledger.sqlite");
    await ledgerWith(file, 3);
    linkSync(file, join(home, "other-name.sqlite"));
    for (const name of [file, join(home, "other-name.sqlite")]) {
      expect((await refusal(name)).message).toMatch(/has 2 hard links.*Remove the other links/);
    }
    unlinkSync(join(home, "other-name.sqlite"));
    const ledger = await openLedger(file);
    expect(await count(ledger)).toBe(3);
    await ledger.close();
  });

  it("stops claiming when its file is deleted or replaced while in use", async () => {
    const home = freshDir();
    const file = join(home, "ledger.sqlite");
    const ledger = await openLedger(file);
    await ledger.claim([claimOf(1)]);
    unlinkSync(file);
    expect((await ledger.claim([claimOf(2)]).catch((caught: unknown) => caught)) as Error).toMatchObject({
      name: "Ip1LedgerError",
      message: expect.stringMatching(/was deleted while in use/),
    });
    await ledger.close();
    const replaced = join(home, "replaced.sqlite");
    const second = await openLedger(replaced);
    await ledgerWith(join(home, "copy.sqlite"), 1);
    copyFileSync(join(home, "copy.sqlite"), `${replaced}.new`);
    const { renameSync } = await import("node:fs");
    renameSync(`${replaced}.new`, replaced);
    await expect(second.claim([claimOf(3)])).rejects.toThrow(/was replaced by another file while in use/);
    await second.close();
  });
});

describe("a new ledger", () => {
  it("is made once when four processes create the same new ledgers at the same instant: none refuses, none loses a claim", async () => {
    const home = freshDir();
    const files = Array.from({ length: 30 }, (_, i) => join(home, `new-${i}.sqlite`));
    const go = join(home, "go");
    const claimChild = await bundled("test/ledger/claim-child.ts");
    const racers = Array.from({ length: 4 }, () =>
      start(process.execPath, [claimChild, files.join(","), go, "20", "create"]),
    );
    await Promise.all(racers.map((racer) => racer.waitForOutput("ready")));
    writeFileSync(go, "");
    const won = await Promise.all(
      racers.map(async (racer) => {
        const { code, stdout, stderr } = await racer.exited;
        expect(code, stderr).toBe(0);
        return JSON.parse(stdout.trim().split("\n").at(-1) as string) as string[];
      }),
    );
    // Every ledger holds each of the 20 phones once, won by exactly one of the four.
    expect(won.flat()).toHaveLength(files.length * 20);
    expect(new Set(won.flat()).size).toBe(files.length * 20);
    for (const file of files) {
      const ledger = await openLedger(file);
      expect(await count(ledger)).toBe(20);
      await ledger.close();
    }
    // Nothing is left beside them but the ledgers and the signal.
    expect(readdirSync(home).sort()).toEqual(["go", ...files.map((file) => basename(file))].sort());
  });

  // Another run's new ledger is linked into place and its temporary name removed, and the last connection to a
  // ledger removes its log, at any moment of an open: neither may read as a second name or a damaged log. (Before
  // the open read the links after the names and the log's size from its open file, this test failed in 1 of 6 runs;
  // 15 rounds of it, driven harder, met 7 refusals: "has 2 hard links", and ENOENT on the log.)
  it("opens while other processes make and close the same ledgers: none refuses", async () => {
    const home = freshDir();
    const files = Array.from({ length: 60 }, (_, i) => join(home, `open-${i}.sqlite`));
    const go = join(home, "go");
    const openChild = await bundled("test/ledger/open-child.ts");
    const racers = Array.from({ length: 4 }, () => start(process.execPath, [openChild, files.join(","), go]));
    await Promise.all(racers.map((racer) => racer.waitForOutput("ready")));
    writeFileSync(go, "");
    for (const racer of racers) {
      const { code, stdout, stderr } = await racer.exited;
      expect(code, stderr).toBe(0);
      expect(stdout.trim()).toBe("ready");
    }
  });

  it("is usable after a creation cut short: a temporary file left behind, or linked into place but not yet removed", async () => {
    const home = freshDir();
    // What a kill -9 before the link leaves: a whole ledger under the temporary name, nothing at the path.
    await ledgerWith(join(home, ".cut.sqlite.0123456789ab.new"), 0);
    const cut = await openLedger(join(home, "cut.sqlite"));
    expect((await cut.claim([claimOf(1)])).claimed).toHaveLength(1);
    await cut.close();
    // What a kill -9 between the link and the removal leaves: the ledger with a second link under that name.
    const file = join(home, "linked.sqlite");
    await ledgerWith(file, 2);
    linkSync(file, join(home, ".linked.sqlite.ba9876543210.new"));
    const linked = await openLedger(file);
    expect(await count(linked)).toBe(2);
    await linked.close();
    // Any other second name is still refused.
    linkSync(file, join(home, "linked-copy.sqlite"));
    expect((await refusal(file)).message).toMatch(/has 3 hard links/);
  });
});

describe("a damaged file", () => {
  it("is refused, naming the file, when blocks in the middle are zeroed, and is left as it was", async () => {
    const file = join(freshDir(), "ledger.sqlite");
    await ledgerWith(file, 400);
    const size = statSync(file).size;
    zero(file, Math.floor(size / 2 / 4096) * 4096, 4096);
    const before = readFileSync(file);
    const error = await refusal(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/cannot be read.*not used, deleted or replaced.*Restore it from a backup/);
    expect(error.outcome).toBe("not-sent");
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("is refused when its header, or all of it, is zeroed, or it is truncated to nothing", async () => {
    for (const damage of ["header", "all", "empty"] as const) {
      const file = join(freshDir(), "ledger.sqlite");
      await ledgerWith(file, 20);
      const size = statSync(file).size;
      if (damage === "header") zero(file, 0, 100);
      if (damage === "all") zero(file, 0, size);
      if (damage === "empty") writeFileSync(file, "");
      const error = await refusal(file);
      expect(error.message, damage).toContain(file);
      expect(statSync(file).size, damage).toBe(damage === "empty" ? 0 : size);
    }
  });

  it("is refused when it is an SQLite database but not a ledger", async () => {
    const file = join(freshDir(), "other.sqlite");
    const { openSqlite } = await import("../../src/ledger/sqlite-driver.js");
    const { db } = await openSqlite(file);
    db.exec("CREATE TABLE notes (text TEXT)");
    db.close();
    expect((await refusal(file)).message).toMatch(/not an ip1-nki ledger/);
  });

  it("loses no claim when its write-ahead log is zeroed (a block, its header, its tail or all of it) after a crash", async () => {
    const home = freshDir();
    const file = join(home, "ledger.sqlite");
    // Claims, then outcomes, committed; a snapshot of the files while the ledger is open is what a crash leaves.
    const live = await openLedger(file);
    for (let i = 0; i < 60; i++) await live.claim([claimOf(i)]);
    for (let i = 0; i < 60; i += 10) {
      await live.record(Array.from({ length: 10 }, (_, k) => ({ ...claimOf(i + k), state: "sent" as const })));
    }
    const damages = ["intact", "middle", "header", "tail", "all"] as const;
    const copies = damages.map((damage) => {
      const copy = join(home, `${damage}.sqlite`);
      copyFileSync(file, copy);
      copyFileSync(`${file}-wal`, `${copy}-wal`);
      return copy;
    });
    await live.close();
    const walSize = statSync(`${copies[0]}-wal`).size;
    expect(walSize).toBeGreaterThan(4096);
    zero(`${copies[1]}-wal`, Math.floor(walSize / 2), 4096);
    zero(`${copies[2]}-wal`, 0, 32);
    zero(`${copies[3]}-wal`, walSize - 2048, 2048);
    zero(`${copies[4]}-wal`, 0, walSize);

    const intact = await openLedger(copies[0] as string);
    expect(new Set((await all(intact)).map((entry) => entry.state))).toEqual(new Set(["sent"]));
    await intact.close();
    for (const [k, damage] of damages.entries()) {
      // Each claim was checkpointed into the database file before its request: a damaged log can cost outcomes (the
      // texts are then in flight, which means unknown), or be refused as damaged; it never forgets a claim.
      const opened = await openLedger(copies[k] as string).catch((error: unknown) => error);
      if (opened instanceof Ip1LedgerError) {
        expect(opened.message, damage).toMatch(/write-ahead log \(-wal\) is damaged before its end/);
        continue;
      }
      const entries = await all(opened as Ledger);
      expect(entries, damage).toHaveLength(60);
      for (const entry of entries) expect(["sent", "in-flight"], damage).toContain(entry.state);
      await (opened as Ledger).close();
    }
  });
});
