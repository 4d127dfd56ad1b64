// A TypeScript 7 API connection whose tsgo process we own: its PID, its exit, and stopping it.
//
// typescript7's `API` spawns tsgo itself (dist/api/async/client.js: `tsgo --api --async --cwd <cwd>`, JSON-RPC over
// the child's stdin/stdout) and exposes neither the child nor its exit. We need both: a request sent to a dead tsgo
// never settles (vscode-jsonrpc rejects pending requests on dispose, not when the stream closes), and close() must
// be able to kill tsgo and know it is gone. So we reach for the client's `process` field, checking its shape, and
// refuse to run (the caller then uses the CLI) if a typescript7 update moves it.
//
// We end a connection with the client's own close() (dispose the connection, end tsgo's stdin), never api.close():
// that first sends a "release" per snapshot, and vscode-jsonrpc turns a request written to a dead tsgo into an
// unhandled rejection (ERR_STREAM_DESTROYED), which ends a Node process.
//
// tsgo cannot outlive this Node process: it reads requests from a pipe whose only writer is us, and exits at
// end-of-file, which the kernel delivers when we exit, however we exit (test/pipeline/typecheck-session.test.ts
// SIGKILLs a Node process holding a session and watches its tsgo go).
import { ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import { API } from "typescript7/unstable/async";

/** How long a request may take before we call tsgo stuck: a full check of this project takes well under a second. */
const REQUEST_TIMEOUT_MS = 30_000;
/** How long close() lets tsgo end by itself (stdin closed) before it is SIGKILLed. */
const GRACEFUL_STOP_MS = 1_000;

export interface TsgoApi {
  /** tsgo's process id. */
  pid: number;
  /** Runs `work` against this tsgo; rejects if tsgo exits before it settles, or if it takes too long. */
  request<T>(work: (api: API) => Promise<T>): Promise<T>;
  /** Ends tsgo (gracefully, then SIGKILL by PID) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** The part of typescript7 7.0.x's internal `Client` (the API's private `client`) that owns tsgo. */
interface SpawningClient {
  connect(): Promise<void>;
  /** Disposes the connection (rejecting pending requests) and ends tsgo's stdin; writes nothing. */
  close(): Promise<void>;
  process?: unknown;
}

export async function startTsgoApi(cwd: string): Promise<TsgoApi> {
  const api = new API({ cwd });
  const client = Reflect.get(api, "client") as SpawningClient | undefined;
  if (typeof client?.connect !== "function" || typeof client.close !== "function") {
    throw new Error("typescript7's API has no client to start tsgo with");
  }
  await client.connect();
  const child = client.process;
  if (!(child instanceof ChildProcess) || child.pid === undefined) {
    await client.close();
    throw new Error("typescript7's API started tsgo without exposing its process");
  }
  return ownTsgo(api, client, child, child.pid);
}

function ownTsgo(api: API, client: SpawningClient, child: ChildProcess, pid: number): TsgoApi {
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const exit = new Promise<void>((resolve) => {
    if (!isRunning()) resolve();
    child.once("exit", () => resolve());
  });
  if (child.stdin) reportWritesAsDone(child.stdin);
  // The client would start a fresh tsgo, one we do not own, for the next request after close(); a request still in
  // flight when tsgo exits or is stopped must fail instead.
  const disconnect = () => {
    client.connect = () => Promise.reject(new Error(`tsgo (PID ${pid}) was stopped`));
    return client.close();
  };
  // From here on a request fails at once instead of being written to a closed pipe.
  exit.then(disconnect).catch(() => {});
  // A failed kill() is reported as an 'error' event, which would crash the process if no one listened.
  child.on("error", () => {});

  const killByPid = () => {
    if (!isRunning()) return; // exited and reaped: the PID may already be someone else's
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone between the check and the kill.
    }
  };

  let stopping: Promise<void> | undefined;
  return {
    pid,
    async request(work) {
      if (!isRunning()) throw new Error(`tsgo (PID ${pid}) is not running`);
      let timer: NodeJS.Timeout | undefined;
      const failure = new Promise<never>((_, reject) => {
        exit.then(() => reject(new Error(`tsgo (PID ${pid}) exited (${child.signalCode ?? child.exitCode})`)));
        timer = setTimeout(
          () => reject(new Error(`tsgo (PID ${pid}) took over ${REQUEST_TIMEOUT_MS} ms`)),
          REQUEST_TIMEOUT_MS,
        );
      });
      try {
        return await Promise.race([work(api), failure]);
      } finally {
        clearTimeout(timer);
      }
    },
    stop() {
      stopping ??= (async () => {
        // At end of stdin tsgo exits by itself; one that does not (stuck mid-check) is SIGKILLed.
        let timer: NodeJS.Timeout | undefined;
        const gracePeriod = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, GRACEFUL_STOP_MS);
        });
        await Promise.race([disconnect().then(() => exit), gracePeriod]).catch(() => {});
        clearTimeout(timer);
        killByPid();
        await exit;
      })();
      return stopping;
    },
  };
}

/**
 * vscode-jsonrpc (vendored in typescript7 7.0.x) rethrows a failed request write inside an async Promise executor
 * (lib/common/connection.js, sendRequest): an unhandled rejection, which ends a Node process. A write to tsgo's stdin
 * fails only when tsgo is gone or going, and then its exit disposes the connection, which rejects every pending
 * request anyway. So the callback always reports success; a real write error still reaches the stream's 'error'
 * event, which the connection listens to.
 */
function reportWritesAsDone(stdin: Writable) {
  const write = stdin.write.bind(stdin) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const writeThatCannotFail = (chunk: unknown, ...rest: unknown[]) => {
    const callback = typeof rest.at(-1) === "function" ? (rest.pop() as () => void) : undefined;
    if (stdin.writableEnded || stdin.destroyed) {
      if (callback) queueMicrotask(callback);
      return false;
    }
    return write(chunk, ...rest, () => callback?.());
  };
  stdin.write = writeThatCannotFail as Writable["write"];
}
