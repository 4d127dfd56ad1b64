// The attacks drive the BUILT CLI: bundled once per test file with the project's own esbuild options
// (test/support/bundled.ts), spawned with node in its own process group, and killed by that group when its test ends
// (even a failed or timed-out one). Also: generated recipients, and the checks every attack ends with (nobody received
// twice, every recipient in exactly one reported state, and in exactly one state in the ledger itself). Every run's
// default ledger is in a state directory of this test file (XDG_STATE_HOME), never the user's.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { entryPoints } from "../../scripts/build.js";
import { bundled } from "../support/bundled.js";
import { afterEachFile, afterEachTest } from "../support/each-file.js";
import { type Fault, type FaultServer, type FaultServerOptions, startFaultServer } from "../support/fault-server.js";
import { type Finished, killGroup, start } from "../support/processes.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
const servers: FaultServer[] = [];
/** This file's state directory (stateHome), made on first use. */
let state: string | undefined;

afterEachTest(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** What IP1 does with a send it accepts: one record per recipient. */
export const accept: Fault = { accept: true };

/**
 * The fake IP1 (test/support/fault-server.ts, which shares no code with the client), counting how often each phone
 * reached it; it accepts every send unless `faults` says otherwise. Closed after the test (whatever its end).
 */
export async function countingIp1(
  faults: Fault | Fault[] = accept,
  options?: FaultServerOptions,
): Promise<FaultServer> {
  const server = await startFaultServer(faults, options);
  servers.push(server);
  return server;
}
afterEachFile(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  state = undefined; // the next file in this worker gets a state directory of its own
});

/** dist/cli.js as `npm run build` bundles it, built once per test file (test/support/bundled.ts). */
export function builtCli(): Promise<string> {
  return bundled(entryPoints.cli);
}

export function workDir(): string {
  const dir = mkdtempSync(join(root, ".tmp-at-most-once-work-"));
  dirs.push(dir);
  return dir;
}

export type Ended = Finished;

export interface CliProcess {
  pid: number;
  ended: Promise<Ended>;
  kill9(): void;
  /** Resolves once `text` appears on the CLI's stdout or stderr. */
  waitForOutput(text: string): Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  /** More environment (IP1_NKI_LEDGER, XDG_STATE_HOME, …); the default XDG_STATE_HOME is this file's stateHome(). */
  env?: Record<string, string>;
  /** The command line before node (for example ["unshare", "--pid", "--fork", "--mount-proc"]). */
  wrap?: string[];
  /** RLIMIT_FSIZE in the shell's `ulimit -f` blocks: writes past it fail with EFBIG (Node ignores SIGXFSZ). */
  fileSizeBlocks?: number;
  /** Close our end of stdout at once, like `| head -0`. */
  closeStdout?: boolean;
}

export const credentials = { IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: "at-most-once-SECRET-4242" };

/** Starts `ip1-nki ARGS` (the built bin) in its own process group. */
export async function startCli(args: string[], options: SpawnOptions): Promise<CliProcess> {
  const cli = await builtCli();
  const node = [...(options.wrap ?? []), process.execPath, cli, ...args];
  const [command, ...rest] =
    options.fileSizeBlocks === undefined
      ? node
      : ["/bin/sh", "-c", `ulimit -f ${options.fileSizeBlocks} && exec "$@"`, "sh", ...node];
  // Its own process group, killed with the test that started it (test/support/processes.ts).
  const child = start(command as string, rest, {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: stateHome(),
      XDG_STATE_HOME: stateHome(),
      ...credentials,
      ...options.env,
    },
  });
  if (options.closeStdout) child.child.stdout?.destroy();
  return {
    pid: child.pid,
    ended: child.exited,
    kill9: () => void killGroup(child.pid),
    waitForOutput: (text) => child.waitForOutput(text),
  };
}

/** This test file's XDG state directory: every run's default ledger is in it (keyed by each test's own server). */
export function stateHome(): string {
  state ??= workDir();
  return state;
}

/** The default ledger file of stateHome(). */
export function defaultLedger(): string {
  return join(stateHome(), "ip1-nki", "ledger.sqlite");
}

export async function runCli(args: string[], options: SpawnOptions): Promise<Ended> {
  return (await startCli(args, options)).ended;
}

export const phoneOf = (i: number) => `+4670${String(i).padStart(7, "0")}`;

/** users.csv with `count` recipients; recipient i is on line i + 2. */
export function writeUsers(dir: string, count: number): string[] {
  const phones = Array.from({ length: count }, (_, i) => phoneOf(i));
  writeFileSync(join(dir, "users.csv"), `FirstName,Phone\n${phones.map((phone, i) => `N${i},${phone}`).join("\n")}\n`);
  return phones;
}

export const send = ["send", "--nki", "42", "--from", "Acme", "--message", "Hej!", "--users", "users.csv", "--json"];

/** The --json document: exactly one, whatever happened (JSON.parse fails on anything else). */
export function documentOf(ended: Ended): Report {
  expect(ended.stdout.trim(), `stdout of a run that ended ${ended.code}/${ended.signal}: ${ended.stderr}`).not.toBe("");
  return JSON.parse(ended.stdout) as Report;
}

export type RecipientState = "sent" | "failed" | "refused" | "unknown" | "held" | "in-flight" | "not-sent";
type LedgerState = "in-flight" | "sent" | "failed" | "refused" | "unknown";

/** The parts of the --json report the checks read. */
export interface Report {
  exitCode: number;
  error?: string;
  ledger: string;
  recipients: Record<RecipientState | "total", number>;
  held: Partial<Record<LedgerState, number>>;
  sentAgain: number;
  forced: number;
  texts: {
    phone: string;
    line?: number;
    state: RecipientState;
    heldAs?: LedgerState;
    ip1?: { id?: string; bundleId?: string };
    error?: string;
  }[];
  notes: string[];
}

/** Each recipient's state in the report: exactly once each (a recipient listed twice, or missing, fails the test). */
export function statesOf(report: Report, phones: readonly string[]): Map<string, RecipientState> {
  const states = new Map<string, RecipientState>();
  for (const text of report.texts) {
    expect(states.get(text.phone), `${text.phone} is listed twice`).toBeUndefined();
    states.set(text.phone, text.state);
  }
  expect([...states.keys()].sort()).toEqual([...phones].sort());
  return states;
}

/** What the ledger file itself holds: one row per phone for this file's texts, read with SQLite (not the client). */
export function ledgerRows(path: string): Map<string, { state: LedgerState; attempts: number; id: string | null }> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT phone, state, attempts, ip1_id AS id FROM texts").all() as {
      phone: string;
      state: LedgerState;
      attempts: number;
      id: string | null;
    }[];
    const byPhone = new Map<string, { state: LedgerState; attempts: number; id: string | null }>();
    for (const row of rows) {
      expect(byPhone.has(row.phone), `${row.phone} has two rows`).toBe(false);
      byPhone.set(row.phone, row);
    }
    return byPhone;
  } finally {
    db.close();
  }
}

/**
 * The promise, checked: no phone reached IP1 more often than `allowed` says (1 unless a flag named it); every
 * recipient is in exactly one state in the report, the counts add up, a recipient sent by this run or held as sent
 * was received, and a refused or not-sent one that the ledger does not hold was never received.
 */
export function expectPromiseKept(
  report: Report,
  phones: readonly string[],
  server: FaultServer,
  allowed: (phone: string) => number = () => 1,
): Map<string, RecipientState> {
  const overSent = [...server.receipts].filter(([phone, count]) => count > allowed(phone));
  expect(overSent, "phones received more often than allowed").toEqual([]);
  const states = statesOf(report, phones);
  const counts: Record<RecipientState, number> = {
    sent: 0,
    failed: 0,
    refused: 0,
    unknown: 0,
    held: 0,
    "in-flight": 0,
    "not-sent": 0,
  };
  for (const state of states.values()) counts[state]++;
  expect({ ...counts, total: phones.length }).toEqual(report.recipients);
  for (const text of report.texts) {
    const received = server.receipts.get(text.phone) ?? 0;
    if (text.state === "sent" || (text.state === "held" && text.heldAs === "sent")) {
      expect(received, `${text.phone} ${text.state}`).toBeGreaterThan(0);
    }
    if (text.state === "refused") expect(received, `${text.phone} refused`).toBe(0);
  }
  return states;
}

/** The highest number of receipts of any phone. */
export function maxReceipts(server: FaultServer): number {
  return Math.max(0, ...server.receipts.values());
}
