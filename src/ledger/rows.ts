// What both stores share: the schema's version and first table, which states a claim may take over, and a stored row
// as a TextEntry. The statements live in each store, because SQLite and PostgreSQL spell placeholders differently.
import type { ClaimOptions, TextEntry, TextState } from "./ledger.js";

/**
 * The schema version this code writes. A ledger with a higher one was written by a newer ip1-nki and is refused.
 * - 1: the table of texts (SCHEMA_V1_TEXT_COLUMNS) and an index by state.
 * - 2: the index by state dropped. No query needs it (a list walks the texts in the order they were claimed and
 *   filters them), and it cost every claim and every record a second index write: about a fifth of SQLite's time.
 */
export const SCHEMA_VERSION = 2;

/**
 * The columns of schema version 1's table of texts, in SQL both SQLite and PostgreSQL read alike. Part of a migration
 * that ledgers in use have run: never edit it; a change is a new migration.
 */
export const SCHEMA_V1_TEXT_COLUMNS = `
  target TEXT NOT NULL,
  nki INTEGER NOT NULL,
  round TEXT NOT NULL,
  phone TEXT NOT NULL,
  message_hash TEXT NOT NULL,
  sender TEXT NOT NULL,
  name TEXT,
  line INTEGER,
  state TEXT NOT NULL CHECK (state IN ('in-flight', 'sent', 'failed', 'refused', 'unknown')),
  claimed_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  ip1_id TEXT,
  ip1_bundle_id TEXT,
  ip1_status INTEGER,
  error TEXT,
  note TEXT,
  UNIQUE (target, nki, round, phone)`;

/** Every state a text can be in, as the schema's CHECK constraint lists them. */
export const TEXT_STATES: readonly TextState[] = ["in-flight", "sent", "failed", "refused", "unknown"];

/** The states a new claim takes over: failed and refused always, sent with `again`, in-flight and unknown with `force`. */
export function claimableStates({ again = false, force = false }: ClaimOptions = {}): TextState[] {
  return [
    "failed",
    "refused",
    ...(again ? (["sent"] as const) : []),
    ...(force ? (["in-flight", "unknown"] as const) : []),
  ];
}

/** A row of the `texts` table, as both drivers return it (column names in snake case). */
export interface TextRow {
  target: string;
  nki: number | string;
  round: string;
  phone: string;
  message_hash: string;
  sender: string;
  name: string | null;
  line: number | string | null;
  state: TextState;
  claimed_at: string;
  updated_at: string;
  attempts: number | string;
  ip1_id: string | null;
  ip1_bundle_id: string | null;
  ip1_status: number | string | null;
  error: string | null;
  note: string | null;
}

/** The columns of a TextEntry, in the order the stores select them. */
export const TEXT_COLUMNS =
  "target, nki, round, phone, message_hash, sender, name, line, state, claimed_at, updated_at, attempts, " +
  "ip1_id, ip1_bundle_id, ip1_status, error, note";

export function entryOf(row: TextRow): TextEntry {
  const entry: TextEntry = {
    target: row.target,
    nki: Number(row.nki),
    round: row.round,
    phone: row.phone,
    messageHash: row.message_hash,
    from: row.sender,
    state: row.state,
    claimedAt: row.claimed_at,
    updatedAt: row.updated_at,
    attempts: Number(row.attempts),
  };
  if (row.name !== null) entry.name = row.name;
  if (row.line !== null) entry.line = Number(row.line);
  if (row.ip1_id !== null || row.ip1_bundle_id !== null || row.ip1_status !== null) {
    entry.ip1 = {};
    if (row.ip1_id !== null) entry.ip1.id = row.ip1_id;
    if (row.ip1_bundle_id !== null) entry.ip1.bundleId = row.ip1_bundle_id;
    if (row.ip1_status !== null) entry.ip1.status = Number(row.ip1_status);
  }
  if (row.error !== null) entry.error = row.error;
  if (row.note !== null) entry.note = row.note;
  return entry;
}

/** A filter's states as a list (all of them when none is named). */
export function statesOf(state: TextState | readonly TextState[] | undefined): readonly TextState[] {
  if (state === undefined) return TEXT_STATES;
  return typeof state === "string" ? [state] : state;
}

/** How many rows a store reads per page while listing, so a million-row ledger is never held in memory at once. */
export const LIST_PAGE = 1000;
