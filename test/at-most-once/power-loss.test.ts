// Power loss, simulated: a send killed -9 with a chunk on the wire; the ledger's files (the database and its
// write-ahead log) copied at that moment, then blocks of them zeroed, as a disk can leave them. A run on the damaged
// copy must refuse clearly (exit 2, naming the ledger, the file left in place) or proceed without texting anyone
// twice; it never reports "all sent" wrongly, and never deletes or empties the file.
// What SQLite promises: a transaction committed with synchronous=FULL survives a crash or power loss on a disk that
// honours fsync; a torn tail of the WAL (frames after the last synced commit) is dropped. Zeroing synced blocks is
// beyond that promise: the store refuses what it can prove damaged (src/ledger/sqlite.ts), and these tests hold it to
// that for every damage it can prove.
import { closeSync, copyFileSync, existsSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  accept,
  countingIp1,
  documentOf,
  expectPromiseKept,
  maxReceipts,
  runCli,
  send,
  startCli,
  workDir,
  writeUsers,
} from "./harness.js";

const BLOCK = 4096;

type Damage = { file: "db" | "wal"; block: "first" | "second" | "middle" | "last" | "all" };

const damages: Damage[] = [
  { file: "db", block: "first" },
  { file: "db", block: "second" },
  { file: "db", block: "all" },
  { file: "wal", block: "first" },
  { file: "wal", block: "middle" },
  // The claims are checkpointed into the database before each request (src/ledger/sqlite.ts), so a zeroed tail of
  // the WAL, or a zeroed WAL, loses no claim.
  { file: "wal", block: "last" },
  { file: "wal", block: "all" },
];

function zero(path: string, block: Damage["block"]) {
  const size = statSync(path).size;
  const blocks = Math.ceil(size / BLOCK);
  const [from, count] =
    block === "all"
      ? [0, blocks]
      : block === "first"
        ? [0, 1]
        : block === "second"
          ? [1, 1]
          : block === "middle"
            ? [Math.floor(blocks / 2), 1]
            : [blocks - 1, 1];
  const fd = openSync(path, "r+");
  try {
    for (let b = from; b < from + count && b * BLOCK < size; b++) {
      writeSync(fd, Buffer.alloc(Math.min(BLOCK, size - b * BLOCK)), 0, undefined, b * BLOCK);
    }
  } finally {
    closeSync(fd);
  }
}

describe("power loss: zeroed blocks of the ledger after a crash", () => {
  it.each(damages)(
    "$file, $block block(s) zeroed: refused clearly, or nobody texted twice",
    async (damage) => {
      const server = await countingIp1([accept, accept, { hang: true }, accept]);
      const cwd = workDir();
      const phones = writeUsers(cwd, 30);
      const args = [...send, "--chunk-size", "5", "--concurrency", "1", "--base-url", server.url];
      const first = await startCli([...args, "--ledger", "ledger.sqlite"], { cwd });
      await server.waitForRequests(3);
      first.kill9();
      await first.ended;
      // The files as the crash left them, copied, then damaged.
      for (const suffix of ["", "-wal", "-shm"]) {
        if (existsSync(join(cwd, `ledger.sqlite${suffix}`))) {
          copyFileSync(join(cwd, `ledger.sqlite${suffix}`), join(cwd, `copy.sqlite${suffix}`));
        }
      }
      const target = join(cwd, damage.file === "db" ? "copy.sqlite" : "copy.sqlite-wal");
      expect(existsSync(target), `${target} after the crash`).toBe(true);
      const size = statSync(target).size;
      zero(target, damage.block);
      const rerun = await runCli([...args, "--ledger", "copy.sqlite"], { cwd });
      const report = documentOf(rerun);
      expect(existsSync(join(cwd, "copy.sqlite")), "the ledger is never deleted").toBe(true);
      if (rerun.code === 2 && report.error) {
        expect(report.error).toContain(join(cwd, "copy.sqlite"));
        expect(server.requests).toHaveLength(3);
        if (damage.file === "db") expect(statSync(target).size).toBe(size);
      } else {
        expect(maxReceipts(server), `${JSON.stringify(damage)}: exit ${rerun.code}`).toBeLessThanOrEqual(1);
        expectPromiseKept(report, phones, server);
        expect(rerun.code).not.toBe(0);
      }
    },
    30_000,
  );
});
