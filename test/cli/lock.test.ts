// The journal's lock: one holder at a time, named by PID and start time; a dead holder's lock is taken over; a holder
// that cannot be checked (another host, an unreadable lock) is never presumed dead.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JournalLock } from "../../src/cli/ledger/lock.js";
import { workDir } from "./support.js";

const now = new Date("2026-01-02T03:04:05.000Z");
const holder = (pid: number, host = hostname()) =>
  JSON.stringify({ pid, host, startedAt: "2026-01-01T00:00:00.000Z", nonce: `n-${pid}` });

/** The PID of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the journal lock", () => {
  it("is exclusive while held, names its holder, and is gone once released", () => {
    const journal = join(workDir(), "j.jsonl");
    const lock = JournalLock.acquire(journal, now);
    expect(JSON.parse(readFileSync(`${journal}.lock`, "utf8"))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => JournalLock.acquire(journal, now)).toThrow(
      `${journal}: the journal is locked by PID ${process.pid}, running since 2026-01-02T03:04:05.000Z.`,
    );
    lock.release();
    expect(existsSync(`${journal}.lock`)).toBe(false);
    JournalLock.acquire(journal, now).release();
  });

  it("takes over the lock of a dead holder, and leaves no takeover or draft file behind", () => {
    const dir = workDir();
    const journal = join(dir, "j.jsonl");
    writeFileSync(`${journal}.lock`, holder(deadPid()));
    const lock = JournalLock.acquire(journal, now);
    expect(JSON.parse(readFileSync(`${journal}.lock`, "utf8")).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(`${journal}.lock`)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses while another process is taking over the same dead holder's lock", () => {
    const journal = join(workDir(), "j.jsonl");
    const dead = deadPid();
    writeFileSync(`${journal}.lock`, holder(dead));
    writeFileSync(`${journal}.lock.takeover-n-${dead}`, holder(process.pid));
    expect(() => JournalLock.acquire(journal, now)).toThrow(
      `PID ${process.pid} is taking over the lock left by PID ${dead} (dead; it started at 2026-01-01T00:00:00.000Z)`,
    );
  });

  it("clears a takeover claim whose claimer died too (killed mid-takeover), and takes the lock", () => {
    const dir = workDir();
    const journal = join(dir, "j.jsonl");
    const dead = deadPid();
    writeFileSync(`${journal}.lock`, holder(dead));
    writeFileSync(`${journal}.lock.takeover-n-${dead}`, holder(deadPid()));
    JournalLock.acquire(journal, now).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("never presumes a holder on another host dead, nor one whose lock it cannot read", () => {
    const journal = join(workDir(), "j.jsonl");
    writeFileSync(`${journal}.lock`, holder(deadPid(), "elsewhere.example"));
    expect(() => JournalLock.acquire(journal, now)).toThrow(/locked by PID \d+ on host elsewhere\.example/);
    writeFileSync(`${journal}.lock`, "{\0\0");
    expect(() => JournalLock.acquire(journal, now)).toThrow("the lock file is unreadable, so its holder is unknown");
  });
});
