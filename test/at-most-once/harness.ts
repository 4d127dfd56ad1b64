// The attacks drive the BUILT CLI: bundled once per test file with the project's own esbuild options into a
// directory of its own, spawned with node in its own process group, and killed by that group when its test ends (even
// a failed or timed-out one). Also: a seeded random source, generated recipients, and the checks every attack ends
// with (nobody received twice, every recipient in exactly one reported state).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, afterEach, expect } from "vitest";
import { bundleOptions, entryPoints } from "../../scripts/build.js";
import { type Finished, killGroup, start } from "../support/processes.js";
import { type CountingIp1, type CountingOptions, startCountingIp1 } from "./counting-ip1.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
const servers: CountingIp1[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A counting fake IP1, closed after the test (whatever its end). */
export async function countingIp1(options?: CountingOptions): Promise<CountingIp1> {
  const server = await startCountingIp1(options);
  servers.push(server);
  return server;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let built: Promise<string> | undefined;

/** dist/cli.js as `npm run build` bundles it, but in a directory of its own inside the repo (node_modules resolve). */
export function builtCli(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(root, ".tmp-at-most-once-"));
    dirs.push(dir);
    await build({ ...bundleOptions, entryPoints: { cli: entryPoints.cli }, outdir: dir, metafile: false });
    return join(dir, "cli.js");
  })();
  return built;
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
  /** RLIMIT_FSIZE in the shell's `ulimit -f` blocks: writes past it fail with EFBIG (Node ignores SIGXFSZ). */
  fileSizeBlocks?: number;
  /** Close our end of stdout at once, like `| head -0`. */
  closeStdout?: boolean;
}

export const credentials = { IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: "at-most-once-SECRET-4242" };

/** Starts `ip1-nki ARGS` (the built bin) in its own process group. */
export async function startCli(args: string[], options: SpawnOptions): Promise<CliProcess> {
  const cli = await builtCli();
  const node = [process.execPath, cli, ...args];
  const [command, ...rest] =
    options.fileSizeBlocks === undefined
      ? node
      : ["/bin/sh", "-c", `ulimit -f ${options.fileSizeBlocks} && exec "$@"`, "sh", ...node];
  // Its own process group, killed with the test that started it (test/support/processes.ts).
  const child = start(command as string, rest, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...credentials },
  });
  if (options.closeStdout) child.child.stdout?.destroy();
  return {
    pid: child.pid,
    ended: child.exited,
    kill9: () => void killGroup(child.pid),
    waitForOutput: (text) => child.waitForOutput(text),
  };
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

interface Span {
  chunk: number;
  first: number;
  count: number;
}

/** The parts of the --json report the checks read. */
export interface Report {
  exitCode: number;
  error?: string;
  recipients: Record<"total" | "sent" | "failed" | "noRecord" | "refused" | "unknown" | "notSent", number>;
  noRecord: { phone: string; line?: number }[];
  failedRecipients: { to: string }[];
  failedChunks: Span[];
  unknownChunks: Span[];
  notSentChunks: Span[];
}

export type State = "sent" | "failed" | "noRecord" | "refused" | "unknown" | "notSent";

/** Each recipient's state, read from the report: exactly one each (a recipient in two lists fails the test). */
export function statesOf(report: Report, phones: readonly string[]): Map<string, State> {
  const states = new Map<string, State>();
  const put = (phone: string, state: State) => {
    expect(states.get(phone), `${phone} is ${states.get(phone)} and ${state}`).toBeUndefined();
    states.set(phone, state);
  };
  for (const [list, state] of [
    [report.failedChunks, "refused"],
    [report.unknownChunks, "unknown"],
    [report.notSentChunks, "notSent"],
  ] as const) {
    for (const span of list) for (let i = span.first; i < span.first + span.count; i++) put(phones[i] as string, state);
  }
  for (const { phone } of report.noRecord) put(phone, "noRecord");
  for (const { to } of report.failedRecipients) put(`+${to.replace(/^\+/, "")}`, "failed");
  for (const phone of phones) if (!states.has(phone)) states.set(phone, "sent");
  return states;
}

/**
 * The promise, checked: no phone reached IP1 more often than `allowed` says (1 unless a flag named it), every recipient
 * is in exactly one state and the counts add up, a "sent" recipient was received exactly once, and one reported as
 * not sent or refused was never received.
 */
export function expectPromiseKept(
  report: Report,
  phones: readonly string[],
  server: CountingIp1,
  allowed: (phone: string) => number = () => 1,
): Map<string, State> {
  const overSent = [...server.receipts].filter(([phone, count]) => count > allowed(phone));
  expect(overSent, "phones received more often than allowed").toEqual([]);
  const states = statesOf(report, phones);
  const counts: Record<State, number> = { sent: 0, failed: 0, noRecord: 0, refused: 0, unknown: 0, notSent: 0 };
  for (const state of states.values()) counts[state]++;
  expect(counts).toEqual(pickStates(report.recipients));
  expect(report.recipients.total).toBe(phones.length);
  for (const [phone, state] of states) {
    const received = server.receipts.get(phone) ?? 0;
    if (state === "sent" || state === "noRecord" || state === "failed")
      expect(received, `${phone} ${state}`).toBeGreaterThan(0);
    if (state === "notSent" || state === "refused") expect(received, `${phone} ${state}`).toBe(0);
  }
  return states;
}

function pickStates(recipients: Report["recipients"]): Record<State, number> {
  const { sent, failed, noRecord, refused, unknown, notSent } = recipients;
  return { sent, failed, noRecord, refused, unknown, notSent };
}
