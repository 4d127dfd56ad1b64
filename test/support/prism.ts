// Starts a real Prism (mock or proxy) on loopback, waits until it answers, and stops it by its process group.
// Used by the vitest globalSetup (Prism is the oracle of the contract and property tests), verify:live and the
// benchmarks. The CLI's --mock and `npm run mock` run the package's own simulator (src/mock/simulator.ts) instead.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort } from "./free-port.js";

export interface PrismProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** Settles when Prism exits, with its exit code (null when a signal ended it), so a caller can notice a crash. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface PrismOptions {
  /** `mock` (default) or `proxy` with an upstream URL. */
  mode?: "mock" | { proxy: string };
  port?: number;
  /** Give up waiting for Prism after this long (it is a start-up guard, not a readiness sleep). */
  startTimeoutMs?: number;
  /** Extra CLI flags, for example ["--dynamic"]. */
  args?: string[];
  /** Cancels the start-up: Prism is stopped and `startPrism` rejects (so a Ctrl-C while it starts orphans nothing). */
  signal?: AbortSignal;
  /** false: return at once, and let the users of `url` wait for it (`waitForPrism`). Default true. */
  wait?: boolean;
}

const prismCli = join(
  dirname(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json")),
  "dist/index.js",
);

export async function startPrism(specPath: string, options: PrismOptions = {}): Promise<PrismProcess> {
  const port = options.port ?? (await freePort());
  const mode = options.mode ?? "mock";
  const modeArgs = mode === "mock" ? ["mock", specPath] : ["proxy", specPath, mode.proxy, "--errors"];
  // Its own process group (detached), so stopping it stops anything it started, and nothing is orphaned.
  const child = spawn(
    process.execPath,
    [prismCli, ...modeArgs, "-h", "127.0.0.1", "-p", String(port), "-v", "warn", ...(options.args ?? [])],
    {
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("Prism did not start (no PID).");
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const prism: PrismProcess = { url, pid, exited, stop: () => stopGroup(child) };
  if (options.wait === false) return prism;
  try {
    await waitUntilAnswering(url, child, options.startTimeoutMs ?? 30_000, () => stderr, options.signal);
  } catch (error) {
    await prism.stop();
    throw error;
  }
  return prism;
}

/** Resolves once the Prism at `url` answers (one started with `wait: false`); rejects after `timeoutMs`. */
export function waitForPrism(url: string, timeoutMs = 60_000): Promise<void> {
  return waitUntilAnswering(url, undefined, timeoutMs, () => "", undefined);
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess | undefined,
  timeoutMs: number,
  stderr: () => string,
  signal: AbortSignal | undefined,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error("Prism start-up was cancelled.");
    if (child && child.exitCode !== null)
      throw new Error(`Prism exited with ${child.exitCode} before answering:\n${stderr()}`);
    try {
      // Any HTTP answer (a 404 for this path) means Prism is listening.
      await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50)); // poll interval, not a readiness guess
    }
  }
  throw new Error(`Prism did not answer on ${url} within ${timeoutMs} ms:\n${stderr()}`);
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(killTimer);
      resolve();
    });
    signalGroup(pid, "SIGTERM");
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
