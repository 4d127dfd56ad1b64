#!/usr/bin/env node
// The ip1-nki bin. The first Ctrl-C, SIGTERM (`timeout`, `kill`, a service manager) or SIGHUP (a closed terminal):
// no new chunk starts; the chunks in flight finish, their outcomes go to the ledger, then the report. A second one:
// the report of what is known now (chunks in flight named as such: the ledger holds them in flight, which means
// unknown), then exit 3 once any request went out, else 2, as the exit-code table promises.
import { setFlagsFromString } from "node:v8";
import { ExitCode } from "./exit-codes.js";
import type { TextSink } from "./progress.js";
import { run } from "./run.js";
import type { RunState } from "./send.js";

/**
 * stdout or stderr as a sink that never throws: a full disk (/dev/full), a reader that hung up (`| head -1`) or a
 * closed stream drops what is left to print, and never changes what the ledger records, the run or its exit code.
 */
function safeSink(stream: NodeJS.WriteStream, onFailure: (code: string) => void): TextSink {
  let failed = false;
  const fail = (error: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    onFailure(error.code ?? error.message);
  };
  stream.on("error", fail);
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    drained() {
      if (failed || !stream.writableNeedDrain) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          for (const event of ["drain", "error", "close"]) stream.off(event, done);
          resolve();
        };
        for (const event of ["drain", "error", "close"]) stream.once(event, done);
      });
    },
    write(text: string) {
      if (failed) return false;
      try {
        return stream.write(text);
      } catch (error) {
        fail(error as NodeJS.ErrnoException);
        return false;
      }
    },
  };
}

// Node 20's V8 compiles undici's HTTP parser (WebAssembly) with its optimizing tier at the first fetch, on a background
// thread the process then waits for at exit: a third of a small send's time (CHANGELOG). V8's baseline tier parses as
// fast, a bulk send's too. Node 22 and later do not pay it.
if (process.versions.node.startsWith("20.")) setFlagsFromString("--liftoff-only");

const stderr = safeSink(process.stderr, () => {});
const stdout = safeSink(process.stdout, (code) => {
  stderr.write(`ip1-nki: stdout failed (${code}); the rest of the output is lost, but not what the ledger records.\n`);
});

const stop = new AbortController();
const state: RunState = { requestSent: false };
const stopNow = (signal: NodeJS.Signals) => {
  if (stop.signal.aborted) {
    const code = state.reportNow?.() ?? (state.requestSent ? ExitCode.unknown : ExitCode.usage);
    process.exit(code);
  }
  stop.abort();
  // `ip1-nki mock` stops at once and says so itself; the chunk wording is the send's.
  if (process.argv[2] === "mock") return;
  stderr.write(
    `\nStopping (${signal}): no new chunk will start; waiting for the chunks in flight (again to quit now, with the report).\n`,
  );
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stopNow);

run(process.argv.slice(2), { stdout, stderr, env: process.env, cwd: process.cwd(), stop: stop.signal, state }).then(
  (code) => {
    process.exitCode = code;
  },
);
