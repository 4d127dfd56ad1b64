// Which ledger a send uses: an explicit path or URL, else IP1_NKI_LEDGER, else one SQLite file per user under the XDG
// state directory, so runs from any directory see the same history. Node's modules are imported only when a ledger is
// used, so the client's entry stays free of them.
import type { Ledger } from "./ledger.js";

/**
 * The default ledger file: `$XDG_STATE_HOME/ip1-nki/ledger.sqlite`, else `~/.local/state/ip1-nki/ledger.sqlite`.
 * `XDG_STATE_HOME` counts only when it is an absolute path, as the XDG Base Directory specification says.
 */
export async function defaultLedgerPath(env: Record<string, string | undefined> = process.env): Promise<string> {
  const [{ homedir }, { join }] = await Promise.all([import("node:os"), import("node:path")]);
  const state = env.XDG_STATE_HOME?.startsWith("/") ? env.XDG_STATE_HOME : join(homedir(), ".local", "state");
  return join(state, "ip1-nki", "ledger.sqlite");
}

/** Whether `spec` names a PostgreSQL database rather than a file. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/**
 * Opens the ledger named by `spec`: a `postgres://` or `postgresql://` URL opens PostgreSQL (the `pg` package, an
 * optional peer dependency), anything else is an SQLite file path (relative to the working directory). Without
 * `spec`: env `IP1_NKI_LEDGER`, else {@link defaultLedgerPath}. Drivers load only here, when a ledger is used.
 */
export async function openLedger(
  spec?: string,
  env: Record<string, string | undefined> = process.env,
): Promise<Ledger> {
  const chosen = spec || env.IP1_NKI_LEDGER || (await defaultLedgerPath(env));
  if (isPostgresUrl(chosen)) {
    const { openPostgresLedger } = await import("./postgres.js");
    return openPostgresLedger(chosen);
  }
  const { openSqliteLedger } = await import("./sqlite.js");
  return openSqliteLedger(chosen);
}
