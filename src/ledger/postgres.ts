// The ledger in PostgreSQL, for workers on many machines: the database a company already runs holds one at-most-once
// guarantee for all of them. A claim is one INSERT … ON CONFLICT DO UPDATE … WHERE statement over the whole batch:
// the unique key (target, nki, round, phone) makes PostgreSQL serialize two claims of one text, and the second sees
// the first's state once it commits, so two machines can never both claim one person.
import type { Pool, PoolConfig } from "pg";
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

/** Taken (for the migration's transaction only) so that many workers starting at once migrate one at a time. */
const MIGRATION_LOCK = 7_201_900_419;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE ip1_nki_texts (
      id BIGSERIAL PRIMARY KEY,${SCHEMA_V1_TEXT_COLUMNS}
    );
    CREATE INDEX ip1_nki_texts_by_state ON ip1_nki_texts (state);`,
  2: "DROP INDEX IF EXISTS ip1_nki_texts_by_state",
};

// PostgreSQL aborts one side of a deadlock (40P01) or a serialization failure (40001) as a whole; its statement
// changed nothing, so running it again is safe.
const RETRYABLE = new Set(["40P01", "40001"]);

/**
 * Connects to the PostgreSQL database at `url` (`postgres://user:password@host:port/database`) and brings its
 * ledger tables (`ip1_nki_texts`, `ip1_nki_schema_version`) to the current schema. The password never appears in
 * an error or in `location`.
 */
export async function openPostgresLedger(
  url: string,
  config: Omit<PoolConfig, "connectionString"> = {},
): Promise<Ledger> {
  const location = withoutPassword(url);
  const secret = passwordOf(url);
  const hide = (text: string) => (secret ? text.split(secret).join("***") : text);
  const failure = (what: string, cause: unknown, outcome: Ip1Outcome = "not-sent") =>
    new Ip1LedgerError(`The ledger ${location} ${what}: ${hide(messageOf(cause))}`, outcome);
  const pg = await loadPg();
  const pool: Pool = new pg.Pool({ connectionString: url, max: 4, ...config });
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on("error", () => {});
  try {
    await migrate(pool, location);
  } catch (cause) {
    await pool.end().catch(() => {});
    throw cause instanceof Ip1LedgerError ? cause : failure("could not be opened", cause);
  }
  return new PostgresLedger(pool, location, failure);
}

type Failure = (what: string, cause: unknown, outcome?: Ip1Outcome) => Ip1LedgerError;

class PostgresLedger implements Ledger {
  readonly location: string;
  readonly #pool: Pool;
  readonly #failure: Failure;
  #closed = false;

  constructor(pool: Pool, location: string, failure: Failure) {
    this.#pool = pool;
    this.location = location;
    this.#failure = failure;
  }

  async claim(texts: readonly TextClaim[], options: ClaimOptions = {}): Promise<ClaimResult> {
    const result: ClaimResult = { claimed: [], refused: [] };
    // One statement may not touch a row twice: a key given twice is claimed once, the repeat refused as in flight.
    const unique = new Map<string, TextClaim>();
    for (const text of texts) {
      const key = keyString(text);
      if (unique.has(key)) result.refused.push({ claim: text, state: "in-flight" });
      else unique.set(key, text);
    }
    if (unique.size === 0) return result;
    // In key order, so that two workers claiming overlapping lists take row locks in one order and never deadlock.
    const batch = [...unique].sort(([a], [b]) => compare(a, b)).map(([, text]) => text);
    const now = new Date().toISOString();
    const claimed = await this.#query(
      "could not claim recipients",
      "not-sent",
      `INSERT INTO ip1_nki_texts AS t (target, nki, round, phone, message_hash, sender, name, line, state, claimed_at,
         updated_at, attempts)
       SELECT target, nki, round, phone, message_hash, sender, name, line, 'in-flight', $9, $9, 1
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
         WITH ORDINALITY AS input (target, nki, round, phone, message_hash, sender, name, line, position)
       ORDER BY position
       ON CONFLICT (target, nki, round, phone) DO UPDATE SET
         message_hash = excluded.message_hash, sender = excluded.sender, name = excluded.name, line = excluded.line,
         state = 'in-flight', claimed_at = excluded.claimed_at, updated_at = excluded.updated_at,
         attempts = t.attempts + 1, ip1_id = NULL, ip1_bundle_id = NULL, ip1_status = NULL, error = NULL, note = NULL
       WHERE t.state IN ('failed', 'refused')
         OR ($10::boolean AND t.state = 'sent')
         OR ($11::boolean AND t.state IN ('in-flight', 'unknown'))
       RETURNING target, nki, round, phone`,
      [
        ...keyColumns(batch),
        batch.map((text) => text.messageHash),
        batch.map((text) => text.from),
        batch.map((text) => text.name ?? null),
        batch.map((text) => text.line ?? null),
        now,
        options.again === true,
        options.force === true,
      ],
    );
    const won = new Set(claimed.map((row) => keyString(row as unknown as TextKey)));
    const lost = batch.filter((text) => !won.has(keyString(text)));
    for (const text of batch) if (won.has(keyString(text))) result.claimed.push(text);
    if (lost.length === 0) return result;
    const held = await this.#query(
      "could not read recipients' states",
      "not-sent",
      `SELECT t.target, t.nki, t.round, t.phone, t.state FROM ip1_nki_texts t
       JOIN unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS k (target, nki, round, phone)
         USING (target, nki, round, phone)`,
      keyColumns(lost),
    );
    const stateByKey = new Map(held.map((row) => [keyString(row as unknown as TextKey), row.state as TextState]));
    for (const text of lost)
      result.refused.push({ claim: text, state: stateByKey.get(keyString(text)) ?? "in-flight" });
    return result;
  }

  async record(outcomes: readonly TextOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const now = new Date().toISOString();
    await this.#query(
      "could not record outcomes",
      "unknown",
      `UPDATE ip1_nki_texts AS t SET state = o.state, ip1_id = o.ip1_id, ip1_bundle_id = o.ip1_bundle_id,
         ip1_status = o.ip1_status, error = o.error, note = o.note, updated_at = $11
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
         $9::text[], $10::text[]) AS o (target, nki, round, phone, state, ip1_id, ip1_bundle_id, ip1_status, error, note)
       WHERE t.target = o.target AND t.nki = o.nki AND t.round = o.round AND t.phone = o.phone`,
      [
        ...keyColumns(outcomes),
        outcomes.map((outcome) => outcome.state),
        outcomes.map((outcome) => outcome.ip1?.id ?? null),
        outcomes.map((outcome) => outcome.ip1?.bundleId ?? null),
        outcomes.map((outcome) => outcome.ip1?.status ?? null),
        outcomes.map((outcome) => outcome.error ?? null),
        outcomes.map((outcome) => outcome.note ?? null),
        now,
      ],
    );
  }

  async get(key: TextKey): Promise<TextEntry | undefined> {
    const rows = await this.#query(
      "could not be read",
      "not-sent",
      `SELECT ${TEXT_COLUMNS} FROM ip1_nki_texts WHERE target = $1 AND nki = $2 AND round = $3 AND phone = $4`,
      [key.target, key.nki, key.round, key.phone],
    );
    return rows[0] && entryOf(rows[0] as unknown as TextRow);
  }

  async *list(filter: LedgerFilter = {}): AsyncIterable<TextEntry> {
    const params: unknown[] = [statesOf(filter.state)];
    const where = ["state = ANY($1::text[])"];
    if (filter.target !== undefined) where.push(`target = $${params.push(filter.target)}`);
    if (filter.nki !== undefined) where.push(`nki = $${params.push(filter.nki)}`);
    if (filter.round !== undefined) where.push(`round = $${params.push(filter.round)}`);
    const after = params.length + 1;
    for (let position = "0"; ; ) {
      const rows = await this.#query(
        "could not be read",
        "not-sent",
        `SELECT id, ${TEXT_COLUMNS} FROM ip1_nki_texts WHERE ${where.join(" AND ")} AND id > $${after}
         ORDER BY id LIMIT ${LIST_PAGE}`,
        [...params, position],
      );
      for (const row of rows) yield entryOf(row as unknown as TextRow);
      if (rows.length < LIST_PAGE) return;
      position = String((rows.at(-1) as { id: string }).id);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #query(what: string, outcome: Ip1Outcome, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.#pool.query(sql, params)).rows;
      } catch (cause) {
        const code = (cause as { code?: unknown }).code;
        if (attempt < 5 && typeof code === "string" && RETRYABLE.has(code)) continue;
        throw this.#failure(what, cause, outcome);
      }
    }
  }
}

async function migrate(pool: Pool, location: string) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS ip1_nki_schema_version (version INTEGER NOT NULL)");
    const found = await client.query("SELECT version FROM ip1_nki_schema_version");
    if (found.rows.length === 0) await client.query("INSERT INTO ip1_nki_schema_version VALUES (0)");
    const version = Number(found.rows[0]?.version ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new Ip1LedgerError(
        `The ledger ${location} has schema version ${version}, written by a newer ip1-nki; this one knows version ` +
          `${SCHEMA_VERSION}. Upgrade ip1-nki.`,
      );
    }
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
      await client.query(MIGRATIONS[next] as string);
      await client.query("UPDATE ip1_nki_schema_version SET version = $1", [next]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function loadPg(): Promise<typeof import("pg")> {
  try {
    const pg = (await import("pg")) as typeof import("pg") & { default?: typeof import("pg") };
    return pg.default ?? pg;
  } catch (cause) {
    throw new Ip1LedgerError(
      "A postgres:// ledger needs the pg package, which is not installed. Run: npm install pg@8",
      "not-sent",
      { cause },
    );
  }
}

function keyColumns(keys: readonly TextKey[]) {
  return [
    keys.map((key) => key.target),
    keys.map((key) => key.nki),
    keys.map((key) => key.round),
    keys.map((key) => key.phone),
  ];
}

function keyString({ target, nki, round, phone }: TextKey): string {
  return JSON.stringify([target, Number(nki), round, phone]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The URL as it can be shown: its password replaced by `***` (and nothing else changed). */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(a PostgreSQL URL that does not parse)";
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
