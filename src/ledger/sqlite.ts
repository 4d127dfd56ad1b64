// The embedded ledger: one SQLite file. SQLite does the locking (by the file's inode, so any path spelling of one file
// meets the same locks) and the durability: WAL with synchronous=FULL, so a committed transaction survives a crash
// or power loss on a filesystem that honours fsync. Claims run in BEGIN IMMEDIATE, which takes the write lock before
// reading, so two processes can never both claim one text; busy_timeout makes the second wait instead of failing.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
  unlinkSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Ip1LedgerError, type Ip1Outcome } from "../errors.js";
import type {
  ClaimOptions,
  ClaimResult,
  Ledger,
  LedgerFilter,
  TextClaim,
  TextEntry,
  TextKey,
  TextOutcome,
  TextState,
} from "./ledger.js";
import {
  entryOf,
  LIST_PAGE,
  SCHEMA_V1_TEXT_COLUMNS,
  SCHEMA_VERSION,
  statesOf,
  TEXT_COLUMNS,
  type TextRow,
} from "./rows.js";
import { openSqlite, type SqliteDatabase, type SqliteValue } from "./sqlite-driver.js";

/** How long a claim waits for another process's transaction before giving up (a claim holds the lock briefly). */
const BUSY_TIMEOUT_MS = 30_000;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE texts (
${SCHEMA_V1_TEXT_COLUMNS}
    );
    CREATE INDEX texts_by_state ON texts (state);`,
  2: "DROP INDEX IF EXISTS texts_by_state",
};

/**
 * Opens (creating it and its directory when absent) the SQLite ledger at `path`. Refuses, with Ip1LedgerError naming
 * the file and what to do, a file that is damaged, empty, not a ledger, from a newer ip1-nki, or has more than one
 * hard link (SQLite names its WAL after the path, so two names for one file could corrupt it). Never deletes or
 * recreates an existing file.
 */
export async function openSqliteLedger(path: string): Promise<Ledger> {
  const file = realFile(path);
  if (!existsSync(file)) await createLedgerFile(file);
  refuseOddFile(file, statSync(file));
  refuseDamagedLog(file);
  const db = await openDatabase(file);
  try {
    migrate(db, file, true);
  } catch (cause) {
    db.close();
    throw cause instanceof Ip1LedgerError ? cause : unreadable(file, cause);
  }
  return new SqliteLedger(db, file, statSync(file));
}

/** Opens `file` checked (quick_check), in WAL mode with synchronous=FULL. */
async function openDatabase(file: string): Promise<SqliteDatabase> {
  const { db } = await openSqlite(file).catch((cause: unknown) => {
    throw cause instanceof Ip1LedgerError ? cause : unreadable(file, cause);
  });
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    checkIntegrity(db, file);
    const mode = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode: string };
    if (mode.journal_mode !== "wal") throw new Error(`journal_mode is ${mode.journal_mode}, not wal`);
    db.exec("PRAGMA synchronous = FULL");
  } catch (cause) {
    db.close();
    throw cause instanceof Ip1LedgerError ? cause : unreadable(file, cause);
  }
  return db;
}

/** Where a new ledger is made before it is linked into place (see createLedgerFile). */
const creatingName = (file: string) => `.${basename(file)}.${randomBytes(6).toString("hex")}.new`;
const isCreatingName = (file: string, name: string) => name.startsWith(`.${basename(file)}.`) && name.endsWith(".new");

/**
 * Makes a new ledger whole (schema written, synced, log closed) under a temporary name beside `file`, then links it
 * into place. link() never replaces a file, so when two runs create one ledger at the same instant both use the one
 * linked first; and a crash part way leaves nothing at the path, never an empty file (which is refused, since a ledger
 * is never empty once made). A crash can leave the temporary file behind: harmless, and named as ours.
 */
async function createLedgerFile(file: string): Promise<void> {
  const temp = join(dirname(file), creatingName(file));
  try {
    const db = await openDatabase(temp);
    try {
      migrate(db, temp, false);
    } finally {
      db.close(); // the last connection checkpoints and removes the log: everything is in the file
    }
    syncPath(temp);
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  } catch (cause) {
    throw cause instanceof Ip1LedgerError ? cause : unreadable(file, cause);
  } finally {
    for (const leftover of [temp, `${temp}-wal`, `${temp}-shm`]) {
      try {
        unlinkSync(leftover);
      } catch {
        // not there
      }
    }
  }
  syncPath(dirname(file)); // the new name survives a power loss
}

function syncPath(path: string) {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

class SqliteLedger implements Ledger {
  readonly location: string;
  readonly #db: SqliteDatabase;
  readonly #identity: Stats;
  readonly #known;
  readonly #insertNew;
  readonly #takeOver;
  readonly #checkpoint;
  readonly #record;
  #closed = false;

  constructor(db: SqliteDatabase, file: string, identity: Stats) {
    this.#db = db;
    this.location = file;
    this.#identity = identity;
    // A claim reads which of its people the ledger holds, inserts the others in one statement (what one send's texts
    // share is bound once, the rest is JSON: [phone, name, line]), and takes over the held ones it may, one by one.
    this.#known = db.prepare(
      `SELECT phone, state FROM texts
       WHERE target = ? AND nki = ? AND round = ? AND phone IN (SELECT value FROM json_each(?))`,
    );
    this.#insertNew = db.prepare(
      `INSERT INTO texts (target, nki, round, phone, message_hash, sender, name, line, state, claimed_at, updated_at,
         attempts)
       SELECT ?, ?, ?, value ->> 0, ?, ?, value ->> 1, value ->> 2, 'in-flight', ?, ?, 1 FROM json_each(?)`,
    );
    // Takes a held text over when its state allows (see ClaimOptions); no change means refused.
    this.#takeOver = db.prepare(
      `UPDATE texts SET message_hash = ?, sender = ?, name = ?, line = ?, state = 'in-flight', claimed_at = ?,
         updated_at = ?, attempts = attempts + 1, ip1_id = NULL, ip1_bundle_id = NULL, ip1_status = NULL, error = NULL,
         note = NULL
       WHERE target = ? AND nki = ? AND round = ? AND phone = ?
         AND (state IN ('failed', 'refused') OR (? = 1 AND state = 'sent') OR (? = 1 AND state IN ('in-flight', 'unknown')))`,
    );
    this.#checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
    this.#record = db.prepare(
      `UPDATE texts SET state = ?, ip1_id = ?, ip1_bundle_id = ?, ip1_status = ?, error = ?, note = ?, updated_at = ?
       WHERE target = ? AND nki = ? AND round = ? AND phone = ?`,
    );
  }

  async claim(texts: readonly TextClaim[], options: ClaimOptions = {}): Promise<ClaimResult> {
    const result: ClaimResult = { claimed: [], refused: [] };
    if (texts.length === 0) return result;
    const now = new Date().toISOString();
    const sends = [...bySend(texts)];
    // A text given twice is claimed once, the repeat refused as in flight (as the PostgreSQL ledger does).
    const seen = new Set<string>();
    const keyString =
      sends.length === 1 ? (text: TextKey) => text.phone : (text: TextKey) => JSON.stringify(keyOf(text));
    const repeated = (text: TextKey) => {
      const key = keyString(text);
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    };
    this.#transaction("not-sent", () => {
      for (const send of sends) this.#claimSend(send, now, options, result, repeated);
    });
    // The claims go into the database file itself (synced) before any request: a write-ahead log damaged later
    // (its last blocks, or all of it, zeroed) then cannot lose a claim, only outcomes, whose texts stay in flight
    // (unknown). PASSIVE never waits; a reader in another process may hold it back, and the log then still holds
    // the claims, as committed.
    if (result.claimed.length) this.#checkpoint.get();
    return result;
  }

  /** Claims texts of one send (see bySend), inside claim's transaction. */
  #claimSend(
    texts: TextClaim[],
    now: string,
    options: ClaimOptions,
    result: ClaimResult,
    repeated: (text: TextKey) => boolean,
  ) {
    const [{ target, nki, round, messageHash, from }] = texts as [TextClaim];
    const phones = JSON.stringify(texts.map((text) => text.phone));
    const held = new Map<string, TextState>();
    for (const row of this.#known.all(target, nki, round, phones) as { phone: string; state: TextState }[]) {
      held.set(row.phone, row.state);
    }
    const fresh: [string, string | null, number | null][] = [];
    for (const text of texts) {
      const state = held.get(text.phone);
      if (repeated(text)) result.refused.push({ claim: text, state: "in-flight" });
      else if (state === undefined) {
        fresh.push([text.phone, text.name ?? null, text.line ?? null]);
        result.claimed.push(text);
      } else if (this.#tookOver(text, now, options)) result.claimed.push(text);
      else result.refused.push({ claim: text, state });
    }
    if (fresh.length) this.#insertNew.run(target, nki, round, messageHash, from, now, now, JSON.stringify(fresh));
  }

  #tookOver(text: TextClaim, now: string, { again = false, force = false }: ClaimOptions): boolean {
    const { changes } = this.#takeOver.run(
      text.messageHash,
      text.from,
      text.name ?? null,
      text.line ?? null,
      now,
      now,
      text.target,
      text.nki,
      text.round,
      text.phone,
      again ? 1 : 0,
      force ? 1 : 0,
    );
    return changes > 0;
  }

  async record(outcomes: readonly TextOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const now = new Date().toISOString();
    this.#transaction("unknown", () => {
      for (const outcome of outcomes) {
        this.#record.run(
          outcome.state,
          outcome.ip1?.id ?? null,
          outcome.ip1?.bundleId ?? null,
          outcome.ip1?.status ?? null,
          outcome.error ?? null,
          outcome.note ?? null,
          now,
          outcome.target,
          outcome.nki,
          outcome.round,
          outcome.phone,
        );
      }
    });
  }

  async get(key: TextKey): Promise<TextEntry | undefined> {
    const row = this.#db
      .prepare(`SELECT ${TEXT_COLUMNS} FROM texts WHERE target = ? AND nki = ? AND round = ? AND phone = ?`)
      .get(...keyOf(key)) as TextRow | undefined;
    return row && entryOf(row);
  }

  async *list(filter: LedgerFilter = {}): AsyncIterable<TextEntry> {
    const states = statesOf(filter.state);
    const where = [`state IN (${states.map(() => "?").join(", ")})`];
    const params: SqliteValue[] = [...states];
    if (filter.target !== undefined) where.push("target = ?") && params.push(filter.target);
    if (filter.nki !== undefined) where.push("nki = ?") && params.push(filter.nki);
    if (filter.round !== undefined) where.push("round = ?") && params.push(filter.round);
    // NOT INDEXED: each page walks the table from where the last one ended. By the key's index, SQLite would find
    // every text of the send and sort them for each page: a rerun of 100,000 texts took 1.8 s to list, not 0.17 s.
    const page = this.#db.prepare(
      `SELECT rowid AS position, ${TEXT_COLUMNS} FROM texts NOT INDEXED WHERE ${where.join(" AND ")} AND rowid > ?
       ORDER BY rowid LIMIT ${LIST_PAGE}`,
    );
    // Read page by page (by rowid), so a caller that records outcomes while listing never meets an open read.
    for (let after = 0; ; ) {
      const rows = page.all(...params, after) as (TextRow & { position: number })[];
      for (const row of rows) yield entryOf(row);
      if (rows.length < LIST_PAGE) return;
      after = (rows.at(-1) as { position: number }).position;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  /**
   * Runs `work` in one BEGIN IMMEDIATE transaction, after checking that the path still names the file opened: a file
   * deleted or replaced while in use (a cleanup script, an editor's save) would take every later write with it.
   */
  #transaction(outcome: Ip1Outcome, work: () => void) {
    try {
      this.#db.exec("BEGIN IMMEDIATE");
    } catch (cause) {
      throw new Ip1LedgerError(`The ledger ${this.location} could not be locked: ${messageOf(cause)}`, outcome, {
        cause,
      });
    }
    try {
      this.#assertSameFile(outcome);
      work();
      this.#db.exec("COMMIT");
    } catch (cause) {
      rollback(this.#db);
      if (cause instanceof Ip1LedgerError) throw cause;
      throw new Ip1LedgerError(`The ledger ${this.location} could not be written: ${messageOf(cause)}`, outcome, {
        cause,
      });
    }
  }

  #assertSameFile(outcome: Ip1Outcome) {
    const now = statIfAny(this.location);
    if (now?.ino === this.#identity.ino && now.dev === this.#identity.dev) return;
    throw new Ip1LedgerError(
      `The ledger ${this.location} was ${now ? "replaced by another file" : "deleted"} while in use, so nothing more ` +
        "is sent or recorded. Restore the file this run opened from a backup before sending again: a new ledger " +
        "does not know whom the old one texted.",
      outcome,
    );
  }
}

function keyOf({ target, nki, round, phone }: TextKey): [string, number, string, string] {
  return [target, nki, round, phone];
}

/** The texts in runs that share target, NKI, round, message and sender: one run for a send's own claims. */
function* bySend(texts: readonly TextClaim[]): Generator<TextClaim[]> {
  let run: TextClaim[] = [];
  for (const text of texts) {
    const first = run[0];
    const same =
      first === undefined ||
      (first.target === text.target &&
        first.nki === text.nki &&
        first.round === text.round &&
        first.messageHash === text.messageHash &&
        first.from === text.from);
    if (!same) {
      yield run;
      run = [];
    }
    run.push(text);
  }
  yield run;
}

/**
 * The file's one name: symlinks and relative spellings resolved (SQLite itself locks by inode, but names the WAL
 * after the path). A file not yet made gets its directory made and resolved.
 */
function realFile(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  mkdirSync(dirname(absolute), { recursive: true });
  return join(realpathSync(dirname(absolute)), basename(absolute));
}

function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function refuseOddFile(file: string, stats: Stats) {
  if (!stats.isFile()) {
    throw new Ip1LedgerError(`The ledger ${file} is not a file. Give the path of a ledger file (or of a new one).`);
  }
  if (stats.size === 0) {
    throw new Ip1LedgerError(
      `The ledger ${file} is empty (0 bytes): a ledger is never empty once made, so it was truncated or its making ` +
        "was cut short. It is not used or deleted. Restore it from a backup, or, if no send ever used it, delete it.",
    );
  }
  if (stats.nlink === 1) return;
  // The temporary names are counted first and the links read again after: a run that has just linked this ledger into
  // place removes its temporary name at any moment, which can only lower the links read after (read before, they
  // counted a name already gone when the names were listed).
  const creating = creatingLinks(file, stats);
  const links = statSync(file).nlink;
  if (links > 1 + creating) {
    throw new Ip1LedgerError(
      `The ledger ${file} has ${links} hard links. SQLite names its write-ahead log after the path, so two ` +
        "names for one ledger could damage it. Remove the other links (find them with find / -samefile) and use one name.",
    );
  }
}

/**
 * Links to `file` under createLedgerFile's temporary names: a run that has just linked a new ledger into place
 * removes its temporary name a moment later (or, after a crash, never); SQLite never opens a ledger by that name.
 */
function creatingLinks(file: string, stats: Stats): number {
  let count = 0;
  for (const name of readdirSync(dirname(file))) {
    if (!isCreatingName(file, name)) continue;
    const other = statIfAny(join(dirname(file), name));
    if (other?.ino === stats.ino && other.dev === stats.dev) count++;
  }
  return count;
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/**
 * SQLite replays its write-ahead log up to the first frame that fails its check and silently ignores the rest: right
 * for frames torn by a crash before their commit was synced, wrong for committed frames damaged later, whose loss
 * would forget claims. With synchronous=FULL, a transaction's frames are written only after the previous commit was
 * synced; so two commit frames of one log after a bad frame (or after a lost log header) prove that the bad spot had
 * been synced: that is damage, and the ledger is refused rather than read without it.
 */
function refuseDamagedLog(file: string) {
  let fd: number;
  try {
    fd = openSync(`${file}-wal`, "r");
  } catch {
    return; // no log: everything is in the file
  }
  try {
    // The open log's own size: another run's last connection may remove the log (by its name) at any moment.
    const size = fstatSync(fd).size;
    if (size < WAL_HEADER) return;
    const header = Buffer.alloc(WAL_HEADER);
    readSync(fd, header, 0, WAL_HEADER, 0);
    const magic = header.readUInt32BE(0);
    const headerOk = magic === 0x377f0682 || magic === 0x377f0683;
    const pageSize = headerOk ? header.readUInt32BE(8) : pageSizeOf(file);
    if (!pageSize) return;
    const salts = header.subarray(16, 24);
    const frame = Buffer.alloc(FRAME_HEADER);
    let damaged = !headerOk;
    const commitsAfterDamage = new Map<string, number>();
    for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= size; at += FRAME_HEADER + pageSize) {
      readSync(fd, frame, 0, FRAME_HEADER, at);
      const frameSalts = frame.subarray(8, 16);
      const ours = headerOk ? frameSalts.equals(salts) : frameSalts.some((byte) => byte !== 0);
      if (!ours) {
        damaged = true;
        continue;
      }
      if (!damaged || frame.readUInt32BE(4) === 0) continue; // not a commit frame
      const key = frameSalts.toString("hex");
      const commits = (commitsAfterDamage.get(key) ?? 0) + 1;
      commitsAfterDamage.set(key, commits);
      if (commits >= 2) throw unreadable(file, new Error("its write-ahead log (-wal) is damaged before its end"));
    }
  } finally {
    closeSync(fd);
  }
}

/** The page size in the database file's header (bytes 16-17; 1 means 65536), or 0 when unreadable. */
function pageSizeOf(file: string): number {
  const fd = openSync(file, "r");
  try {
    const bytes = Buffer.alloc(2);
    readSync(fd, bytes, 0, 2, 16);
    const size = bytes.readUInt16BE(0);
    return size === 1 ? 65536 : size;
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, cause: unknown): Ip1LedgerError {
  return new Ip1LedgerError(
    `The ledger ${file} cannot be read (${messageOf(cause)}). It is not used, deleted or replaced, so nothing was ` +
      "sent. Restore it from a backup; or move it aside and start a new ledger (a new one does not know whom the old " +
      "one texted).",
    "not-sent",
    { cause },
  );
}

/** quick_check reads every page and checks its structure: a damaged file is refused before anything is claimed. */
function checkIntegrity(db: SqliteDatabase, file: string) {
  const rows = db.prepare("PRAGMA quick_check").all() as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((result) => result !== "ok");
  if (problems.length) throw unreadable(file, new Error(`damaged: ${problems.slice(0, 3).join("; ")}`));
}

/** Brings the schema to SCHEMA_VERSION in one transaction. An existing file must already be a ledger. */
function migrate(db: SqliteDatabase, file: string, existed: boolean) {
  db.exec("BEGIN IMMEDIATE");
  try {
    const hasVersion = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
    // A file that existed and has no schema is someone else's database, or a ledger whose pages were lost: never
    // treated as an empty ledger.
    if (!hasVersion && existed && db.prepare("SELECT 1 FROM sqlite_master LIMIT 1").get() !== undefined) {
      throw unreadable(file, new Error("it is an SQLite database, but not an ip1-nki ledger"));
    }
    if (!hasVersion && existed) throw unreadable(file, new Error("it holds no tables: the ledger's pages were lost"));
    if (!hasVersion)
      db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0)");
    const { version } = db.prepare("SELECT version FROM schema_version").get() as { version: number };
    if (version > SCHEMA_VERSION) {
      throw new Ip1LedgerError(
        `The ledger ${file} has schema version ${version}, written by a newer ip1-nki; this one knows version ` +
          `${SCHEMA_VERSION}. Upgrade ip1-nki.`,
      );
    }
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
      db.exec(MIGRATIONS[next] as string);
      db.prepare("UPDATE schema_version SET version = ?").run(next);
    }
    db.exec("COMMIT");
  } catch (error) {
    rollback(db);
    throw error;
  }
  // A new ledger's schema goes into the main file at once, so that losing the WAL can never leave an empty file that
  // passes for a new ledger (an existing file without a schema is refused above).
  if (!existed) db.prepare("PRAGMA wal_checkpoint(FULL)").get();
}

/** Rolls back, if SQLite has not already (it does on some errors, such as a full disk). */
function rollback(db: SqliteDatabase) {
  try {
    db.exec("ROLLBACK");
  } catch {
    // No transaction was open any more.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
