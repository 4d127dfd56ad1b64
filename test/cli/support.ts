// Shared helpers for the CLI tests: run the CLI in-process with captured output, temporary working directories,
// generated CSVs. Every run's default ledger is in its working directory's .state (XDG_STATE_HOME), never the user's.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/run.js";
import type { RunState } from "../../src/cli/send.js";
import { openLedger, type TextEntry } from "../../src/index.js";
import { afterEachFile, afterEachTest } from "../support/each-file.js";
import { type Fault, type FaultServer, type SeenRequest, startFaultServer } from "../support/fault-server.js";

export const fixtures = new URL("../fixtures/cli/", import.meta.url).pathname;

/** Fake credentials; tests search every output for the key. */
export const credentials = { IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: "cli-test-SECRET-7777" };

/** `send` with a valid NKI, sender and message; recipients and the rest come after. */
export const send = ["send", "--nki", "42", "--from", "Acme", "--message", "Hur nöjd är du med ditt besök?"];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Make stderr look like a terminal (for the progress bar). */
  tty?: boolean;
  stop?: AbortSignal;
  /** The run's state, as the bin shares it with its signal handlers. */
  state?: RunState;
}

/** Runs the CLI in this process, as the bin would, and captures what it prints. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const cwd = options.cwd ?? workDir();
  const code = await run(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false, columns: 100 },
    env: { XDG_STATE_HOME: join(cwd, ".state"), ...options.env },
    cwd,
    stop: options.stop,
    state: options.state,
  });
  return { code, stdout, stderr };
}

const dirs: string[] = [];
afterEachFile(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the file's tests. */
export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-cli-"));
  dirs.push(dir);
  return dir;
}

const servers: FaultServer[] = [];
afterEachTest(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A loopback fault server (see test/support/fault-server.ts), closed after the test. */
export async function serve(faults: Fault | Fault[]): Promise<FaultServer> {
  const server = await startFaultServer(faults);
  servers.push(server);
  return server;
}

/** A 200 with one record per recipient: everyone accepted. */
export const accepted: Fault = { accept: true };

/** A new working directory holding users.csv with `count` generated recipients. */
export function dirWithUsers(count: number): string {
  const cwd = workDir();
  writeUsersCsv(cwd, count);
  return cwd;
}

/** Sends users.csv in `cwd` to `url` in chunks of 10, one request at a time, with the test credentials. */
export function sendInTens({ url, ...options }: RunOptions & { cwd: string; url: string }, ...extra: string[]) {
  const args = [...send, "--users", "users.csv", "--chunk-size", "10", "--concurrency", "1", "--base-url", url];
  return runCli([...args, ...extra], { env: credentials, ...options });
}

/** The phone number of generated recipient `i`: unique, E.164, 12 digits. */
export const phoneOf = (i: number) => `+4670${String(i).padStart(7, "0")}`;

/** Writes a CSV of `count` valid recipients (names with commas, so they are quoted) and returns its path. */
export function writeUsersCsv(dir: string, count: number, name = "users.csv"): string {
  const rows = ["FirstName,LastName,Phone,Email,Extra"];
  for (let i = 0; i < count; i++) rows.push(`Namn${i},"Efternamn, ${i}",${phoneOf(i)},n${i}@example.se,kund ${i}`);
  const path = join(dir, name);
  writeFileSync(path, `${rows.join("\r\n")}\r\n`);
  return path;
}

/** The phone numbers in each request a server saw. */
export function phonesPerRequest(requests: SeenRequest[]): string[][] {
  return requests.map((request) =>
    (JSON.parse(request.body ?? "{}") as { Users: { Phone: string }[] }).Users.map((user) => user.Phone),
  );
}

/** A 200 body: one in-transit record per phone, except `failed` ones with Status 51. */
export function answerFor(phones: string[], failed: string[] = []): string {
  return JSON.stringify(
    phones.map((phone) =>
      failed.includes(phone)
        ? { To: phone, Status: 51, StatusDescription: "Delivery to the GSM network failed" }
        : { To: phone, Status: 0, StatusDescription: "Delivered to gateway" },
    ),
  );
}

/** Every text the ledger at `path` holds (read with the library's own store). */
export async function ledgerEntries(path: string): Promise<TextEntry[]> {
  const ledger = await openLedger(path);
  try {
    const entries: TextEntry[] = [];
    for await (const entry of ledger.list()) entries.push(entry);
    return entries;
  } finally {
    await ledger.close();
  }
}
