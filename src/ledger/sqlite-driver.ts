// The SQLite binding, loaded only when a ledger is opened, so that library users who never use the ledger load no
// native code: Node's own node:sqlite where it exists without a flag (22.13+), else better-sqlite3 12 (an optional
// peer dependency, built natively). Both expose the same synchronous prepare/run/get/all, which is all the store uses.
import { createRequire } from "node:module";
import { Ip1LedgerError } from "../errors.js";

export interface SqliteStatement {
  /** `changes`: the rows inserted, updated or deleted (an upsert whose WHERE refused the update changes none). */
  run(...params: SqliteValue[]): { changes: number | bigint };
  get(...params: SqliteValue[]): unknown;
  all(...params: SqliteValue[]): unknown[];
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

export type SqliteValue = string | number | null;

type OpenDatabase = (file: string) => SqliteDatabase;

let loaded: Promise<{ name: string; open: OpenDatabase }> | undefined;

/** Opens `file` with the first binding this Node has; throws Ip1LedgerError naming the fix when it has none. */
export async function openSqlite(file: string): Promise<{ driver: string; db: SqliteDatabase }> {
  loaded ??= loadDriver();
  const { name, open } = await loaded;
  return { driver: name, db: open(file) };
}

async function loadDriver(): Promise<{ name: string; open: OpenDatabase }> {
  const nodeSqlite = await importNodeSqlite();
  if (nodeSqlite) return { name: "node:sqlite", open: (file) => new nodeSqlite.DatabaseSync(file) };
  try {
    // createRequire rather than import(): better-sqlite3 is CommonJS, and a bundler must leave it external.
    const BetterSqlite3 = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => SqliteDatabase;
    return { name: "better-sqlite3", open: (file) => new BetterSqlite3(file) };
  } catch (cause) {
    throw new Ip1LedgerError(
      `The send ledger needs SQLite, and this Node (${process.version}) has neither node:sqlite nor the ` +
        "better-sqlite3 package. Use Node 22.13 or later, or run: npm install better-sqlite3@12",
      "not-sent",
      { cause },
    );
  }
}

type NodeSqlite = { DatabaseSync: new (file: string) => SqliteDatabase };

/**
 * node:sqlite, or undefined where this Node lacks it (Node 20, or 22 before 22.13 without --experimental-sqlite).
 * Loading it prints an ExperimentalWarning on Node 22 and 23; that one warning is dropped, every other passes.
 */
async function importNodeSqlite(): Promise<NodeSqlite | undefined> {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === "string" ? warning : warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const kind = typeof warning === "string" ? type : warning.name;
    if (kind === "ExperimentalWarning" && /SQLite/i.test(text)) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // A variable specifier, so that TypeScript (with Node 20's types) and bundlers leave the import alone.
    const specifier = "node:sqlite";
    return (await import(specifier)) as NodeSqlite;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}
