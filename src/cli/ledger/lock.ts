// The exclusive lock on a journal: whoever writes a journal holds `<journal>.lock` for the whole run, so two processes
// can never send the same job at once (two resumes, a resume beside a running send, two --force runs).
//
// Not proper-lockfile, because of two things in its lib/lockfile.js that break exactly this use: it knows no PID, only
// a directory's mtime, so a holder killed with -9 blocks every resume for `stale` ms and an alive holder whose event
// loop stalls longer than that loses its lock while it still sends; and its stale takeover is rmdir then mkdir, so two
// processes that both find the lock stale can each remove the other's fresh lock and both go on (acquireLock →
// removeLock → acquireLock). Here the holder's PID decides, and the takeover is serialized.
//
// Acquiring: the holder record ({pid, host, startedAt, nonce}) is written and synced to a private file first, then
// hard-linked to `<journal>.lock`; link() is atomic and fails if the lock exists, so a lock file is never seen half
// written. A lock whose holder is on this host and no longer alive is taken over by exactly one process: the one that
// creates the claim `<journal>.lock.takeover-<nonce>` (the same way) for that dead holder; it removes the dead lock
// only if it still holds that nonce, and then competes for link() like everyone else. A claim whose claimer died is
// cleared the same way, so a kill -9 at any moment never leaves the journal locked for good.
import { randomUUID } from "node:crypto";
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { CliError } from "../cli-error.js";
import { syncDirectory } from "./lines.js";

/** Who holds a journal's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO 8601). */
  startedAt: string;
  /** Tells this holding apart from a later one by a process that reused the PID. */
  nonce: string;
}

export class JournalLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {
    // process.exit() (a second Ctrl-C) skips finally blocks; a kill -9 skips this too, and is what takeover is for.
    process.once("exit", this.onExit);
  }

  /** Takes the lock of `journalPath`, or throws a CliError naming the holder. */
  static acquire(journalPath: string, now: Date): JournalLock {
    const path = `${journalPath}.lock`;
    const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: now.toISOString(), nonce: randomUUID() };
    for (let round = 0; round < 5; round++) {
      if (createExclusive(path, me)) return new JournalLock(path, me);
      const holder = readHolder(path);
      if (holder === undefined) continue; // released meanwhile: compete again
      if (isAlive(holder)) throw heldBy(journalPath, holder);
      removeDeadHolder(path, holder, me, journalPath);
    }
    throw new CliError(`${journalPath}: the journal's lock keeps changing hands; is another ip1-nki run starting?`);
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener("exit", this.onExit);
    try {
      if (readHolder(this.path)?.nonce === this.holder.nonce) unlinkSync(this.path);
    } catch {
      // Gone already, or unreadable: either way it is not ours to remove any more.
    }
  }
}

/**
 * Removes `path` (a lock, or a takeover claim) if it still holds `dead`'s nonce. Only the process that creates the
 * claim `<path>.takeover-<nonce>` may; a claim whose own claimer died (killed mid-takeover) is removed the same way,
 * one level down, so no crash at any moment can leave a journal locked for good.
 */
function removeDeadHolder(path: string, dead: LockHolder, me: LockHolder, journalPath: string, depth = 0): void {
  const claim = `${path}.takeover-${dead.nonce}`;
  for (let round = 0; round < 5 && depth < 8; round++) {
    if (createExclusive(claim, me)) {
      try {
        if (readHolder(path)?.nonce === dead.nonce) unlinkSync(path);
      } finally {
        unlinkQuietly(claim);
      }
      return;
    }
    const claimer = readHolder(claim);
    if (claimer === undefined) continue; // the other taker finished: the caller competes again
    if (isAlive(claimer)) {
      throw new CliError(
        `${journalPath}: PID ${claimer.pid} is taking over the lock left by PID ${dead.pid} (dead; it started at ` +
          `${dead.startedAt}). Nothing was sent. Run again once that run has ended.`,
      );
    }
    removeDeadHolder(claim, claimer, me, journalPath, depth + 1);
  }
}

/** Creates `path` holding `holder`, atomically and only if it does not exist: false if it does. */
function createExclusive(path: string, holder: LockHolder): boolean {
  const draft = `${path}.${holder.nonce}.tmp`;
  try {
    writeSynced(draft, holder, "wx");
    linkSync(draft, path);
    syncDirectory(dirname(path));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw cannotLock(path, error);
  } finally {
    unlinkQuietly(draft);
  }
}

function heldBy(journalPath: string, holder: LockHolder): CliError {
  const where = holder.host === hostname() ? "" : ` on host ${holder.host}`;
  return new CliError(
    `${journalPath}: the journal is locked by PID ${holder.pid}${where}, running since ${holder.startedAt}. ` +
      "Nothing was sent. Wait for that run to end (or stop it), then run again.",
  );
}

/** The lock's holder; undefined when there is no lock file. */
function readHolder(path: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw cannotLock(path, error);
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isSafeInteger(holder.pid) && typeof holder.nonce === "string") return holder;
  } catch {
    // falls through to the error below
  }
  throw new CliError(
    `${path}: the lock file is unreadable, so its holder is unknown. If no ip1-nki run is using the journal, delete it.`,
  );
}

/** A holder on another host cannot be checked, so it counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function writeSynced(path: string, holder: LockHolder, flag: "wx") {
  const fd = openSync(path, flag);
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function unlinkQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function cannotLock(path: string, error: unknown): CliError {
  return new CliError(`${path}: cannot lock the journal (${(error as NodeJS.ErrnoException).code ?? error}).`);
}
