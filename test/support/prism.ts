// Starts a real Prism (mock or proxy) on loopback, waits until it listens, and stops it by its process group.
// Used by the vitest globalSetup (Prism is the oracle of the contract and property tests) and verify:live. The CLI's
// --mock and `npm run mock` run the package's own simulator (src/mock/simulator.ts) instead.
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
  /** Give up waiting for Prism after this long (it is a start-up guard, not a readiness sleep). */
  startTimeoutMs?: number;
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
  // Waited for, Prism binds port 0 itself and says which port it got, so no other server can take the port between a
  // probe and Prism's bind and be taken for it. Not waited for (the suite's own Prism, started before any test), its
  // URL must be known at once: a port probed here.
  const probed = options.wait === false ? await freePort() : 0;
  const mode = options.mode ?? "mock";
  const modeArgs = mode === "mock" ? ["mock", specPath] : ["proxy", specPath, mode.proxy, "--errors"];
  // The port Prism got is in an info line, so only a waited-for Prism logs at info (each request, to a discarded pipe).
  const logArgs = ["-p", String(probed), "-v", probed ? "warn" : "info"];
  // Its own process group (detached), so stopping it stops anything it started, and nothing is orphaned.
  const child = spawn(process.execPath, [prismCli, ...modeArgs, "-h", "127.0.0.1", ...logArgs], {
    detached: true,
    stdio: ["ignore", probed ? "ignore" : "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("Prism did not start (no PID).");
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const stop = () => stopGroup(child);
  if (probed) return { url: `http://127.0.0.1:${probed}`, pid, exited, stop };
  try {
    const url = await listeningUrl(child, options.startTimeoutMs ?? 30_000, () => stderr, options.signal);
    return { url, pid, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The URL in Prism's "Prism is listening on URL" line, once it prints it; rejects if it exits, is cancelled or is late. */
function listeningUrl(
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
  signal: AbortSignal | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let said = "";
    const onData = (chunk: Buffer) => {
      said = (said + chunk.toString()).slice(-4000);
      const url = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(said)?.[1];
      if (url) settle(() => resolve(url));
    };
    const onExit = (code: number | null) => fail(`Prism exited with ${code} before listening:\n${stderr()}`);
    const onAbort = () => fail("Prism start-up was cancelled.");
    const timer = setTimeout(() => fail(`Prism did not listen within ${timeoutMs} ms:\n${stderr()}`), timeoutMs);
    const fail = (message: string) => settle(() => reject(new Error(message)));
    const settle = (end: () => void) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      signal?.removeEventListener("abort", onAbort);
      child.stdout?.resume(); // from now on its log is read and dropped, so a full pipe never blocks it
      end();
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves once the Prism at `url` answers (one started with `wait: false`); rejects after `timeoutMs`. */
export async function waitForPrism(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      // Any HTTP answer (a 404 for this path) means Prism is listening.
      await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50)); // poll interval, not a readiness guess
    }
  }
  throw new Error(`Prism did not answer on ${url} within ${timeoutMs} ms.`);
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
