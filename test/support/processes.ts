// Every process a test starts, started here: each child leads its own process group (detached), and the whole group,
// grandchildren included, is killed by its PID when the test that started it ends: passed, failed or timed out.
//
//   import { run, start } from "../support/processes.js";
//
//   // Run to completion; never rejects for a non-zero exit (assert on `code`).
//   const { code, signal, stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/x.ts"], { cwd });
//
//   // A server that must live while the test talks to it: wait for its banner, never sleep.
//   const server = start(process.execPath, [script], { env });
//   await server.waitForOutput("listening on");
//   await server.stop(); // SIGTERM to the group, SIGKILL after 5 s; resolves with how it ended
//
// Who stops what, without the test doing anything:
// - started inside a test (or beforeEach): killed (SIGKILL to the group) when that test finishes, via onTestFinished;
//   in an `it.concurrent` test pass `{ test: context }` (the test's context), as vitest's global hooks cannot tell
//   concurrent tests apart;
// - started outside a test (beforeAll, or module level): killed after the file's last test (test/support/each-file.ts);
// - and whatever is still running when the worker ends (it exits, or gets SIGINT from a Ctrl-C, SIGTERM or SIGHUP)
//   is killed then. Only SIGKILL to the worker itself escapes (nothing can run then).
// `adoptGroup(pid)` applies the same rules to a group started by other code (for example test/support/prism.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { onTestFinished, type TestContext } from "vitest";
import { afterEachFile } from "./each-file.js";

export interface Finished {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  cwd?: string;
  /** The child's whole environment. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. Default: stdin is /dev/null. */
  input?: string;
  /** The test's context, for tests that run concurrently (`it.concurrent`, `describe.concurrent`). */
  test?: TestContext;
}

export interface Started {
  /** The child's PID, which is also its process group's id. */
  pid: number;
  child: ChildProcess;
  /** Everything written so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Settles when the child has exited and its output is closed. */
  exited: Promise<Finished>;
  /** Resolves once `text` appears on stdout (or stderr), or the test holds; rejects if the child exits first. */
  waitForOutput(text: string | RegExp | ((output: string) => boolean)): Promise<void>;
  /** SIGTERM to the group, SIGKILL to it after `graceMs`; resolves with how the child ended. */
  stop(graceMs?: number): Promise<Finished>;
}

/**
 * The timeout for a test that runs a whole tool in a child process or two (tsx start-up and the pipeline, api:diff,
 * Prism, the bin): 2-4 s each alone (on a 2-core machine busy with other work), 10-15 s measured inside the full
 * suite beside four other suites on the same 2 cores, where the 30 s default left too little room.
 */
export const WHOLE_TOOL_TIMEOUT_MS = 60_000;

/**
 * Process groups started by this process and not yet known to be gone. Kept on globalThis, so that when vitest
 * evaluates this module again for another test file in the same worker, one set and one set of handlers serve all.
 */
const registry = globalThis as { [key: symbol]: Set<number> | undefined };
const registryKey = Symbol.for("ip1-nki/test/processes");
const liveGroups = registry[registryKey] ?? installExitHandlers(new Set<number>());

/**
 * Kills every live group when this process ends: on exit, and on the signals that end it without an exit event
 * (Ctrl-C reaches the workers too, but not our children, which are in groups of their own). A signal is then passed
 * on as if never caught, unless someone else (vitest) listens for it.
 */
function installExitHandlers(groups: Set<number>) {
  registry[registryKey] = groups;
  const killAll = () => {
    for (const pid of groups) signalGroup(pid, "SIGKILL");
    groups.clear();
  };
  process.once("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      killAll();
      process.off(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  return groups;
}

const fileScoped = new Set<number>();
afterEachFile(killFileScoped);

async function killFileScoped() {
  await Promise.all([...fileScoped].map(killGroup));
}

/** Starts `command` in its own process group, stopped with its test (see the top of this file). */
export function start(command: string, args: string[], options: StartOptions = {}): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const onOutput = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onOutput();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    onOutput();
  });
  if (options.input !== undefined) child.stdin?.end(options.input);

  const exited = new Promise<Finished>((resolve, reject) => {
    child.once("error", (error) => {
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      reject(new Error(`${command} could not be started: ${error.message}`, { cause: error }));
    });
    child.once("close", (code, signal) => {
      onOutput();
      resolve({ code, signal, stdout, stderr });
    });
  });
  // A start failure rejects `exited`; mark it handled here so a caller that only calls stop() sees no stray rejection.
  exited.catch(() => {});

  const pid = child.pid ?? -1;
  if (child.pid !== undefined) adoptGroup(child.pid, options.test);

  const started: Started = {
    pid,
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitForOutput(text) {
      const seen = () =>
        typeof text === "string"
          ? (stdout + stderr).includes(text)
          : typeof text === "function"
            ? text(stdout + stderr)
            : text.test(stdout + stderr);
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (seen()) {
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            reject(new Error(`${command} exited before printing ${String(text)}:\n${stdout}${stderr}`));
          }
        };
        waiters.add(check);
        exited.then(check, (error) => reject(error));
        check();
      });
    },
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null && pid > 0) {
        signalGroup(pid, "SIGTERM");
        const killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
        try {
          await exited.catch(() => {});
        } finally {
          clearTimeout(killTimer);
        }
      }
      // The leader is gone; anything it left in its group goes now.
      await killGroup(pid);
      return exited;
    },
  };
  return started;
}

/** Runs `command` to completion in its own process group; never rejects for a non-zero exit or a signal. */
export function run(command: string, args: string[], options: StartOptions = {}): Promise<Finished> {
  return start(command, args, options).exited;
}

/**
 * Puts an already started process group (its leader's PID) under this module's rules: killed when the current test
 * ends (or, outside a test, after the file's last test), and when this process exits.
 */
export function adoptGroup(pid: number, test?: TestContext) {
  liveGroups.add(pid);
  const kill = () => killGroup(pid);
  if (test) {
    test.onTestFinished(kill);
    return;
  }
  try {
    onTestFinished(kill);
  } catch {
    // Not inside a test: a beforeAll, module level, or vitest's globalSetup.
    fileScoped.add(pid);
  }
}

/** SIGKILLs every process in the group `pid`, if any is left, and resolves once none runs (a 5 s bound). */
export async function killGroup(pid: number): Promise<void> {
  if (pid <= 0) return;
  signalGroup(pid, "SIGKILL");
  liveGroups.delete(pid);
  fileScoped.delete(pid);
  // The kernel ends a killed process when it is next scheduled, not within kill(2): wait for that, so the next test
  // starts with the group gone.
  const deadline = Date.now() + 5000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Whether any running process is left in the process group `pid`. On Linux it reads /proc, where a zombie (dead,
 * waiting for a parent to reap it) does not count; elsewhere it asks the kernel with signal 0, where it does.
 */
export function groupAlive(pid: number): boolean {
  if (existsSync("/proc/self/stat")) return groupMembers(pid).length > 0;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The PIDs of the running (not zombie) processes in the process group `pgid`, from /proc (Linux only). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after its last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") members.push(Number(entry));
  }
  return members;
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Nothing left in the group.
  }
}
