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
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ip1LedgerError } from "../../src/errors.js";
import type { Ledger, TextClaim } from "../../src/ledger/ledger.js";
import { openLedger } from "../../src/ledger/open.js";

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

  it("is refused when its write-ahead log is zeroed before its last commits; a crash's torn tail is not", async () => {
    const home = freshDir();
    const file = join(home, "ledger.sqlite");
    // Claims committed into the log and not yet checkpointed: a snapshot of the files is what a crash leaves.
    const live = await openLedger(file);
    for (let i = 0; i < 60; i++) await live.claim([claimOf(i)]);
    const snapshot = (name: string) => {
      const copy = join(home, name);
      copyFileSync(file, copy);
      copyFileSync(`${file}-wal`, `${copy}-wal`);
      return copy;
    };
    const intact = snapshot("intact.sqlite");
    const middle = snapshot("middle.sqlite");
    const header = snapshot("header.sqlite");
    const tail = snapshot("tail.sqlite");
    await live.close();
    const walSize = statSync(`${middle}-wal`).size;
    zero(`${middle}-wal`, Math.floor(walSize / 2), 4096);
    zero(`${header}-wal`, 0, 32);
    zero(`${tail}-wal`, walSize - 2048, 2048);

    const read = await openLedger(intact);
    expect(await count(read)).toBe(60);
    await read.close();
    expect((await refusal(middle)).message).toMatch(/write-ahead log \(-wal\) is damaged before its end/);
    expect((await refusal(header)).message).toMatch(/write-ahead log \(-wal\) is damaged before its end/);
    // A torn last frame is what a crash before the last commit's sync leaves: SQLite drops that transaction only.
    const torn = await openLedger(tail);
    expect(await count(torn)).toBe(59);
    await torn.close();
  });
});
