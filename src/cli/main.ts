#!/usr/bin/env node
// The ip1-nki bin. Ctrl-C once: no new chunk starts, and the chunks in flight finish and are journaled.
// Ctrl-C twice: exit now; the journal marks the chunks in flight as attempted, so a resume will not resend them. The
// exit code is then 3 (unknown) once any request went out, else 2 (nothing sent), as the exit-code table promises.
import { ExitCode } from "./exit-codes.js";
import { run } from "./run.js";
import type { RunState } from "./send.js";

// A reader that hangs up (`ip1-nki send … | head -1`) must not change the outcome or the exit code: what is left to
// print is dropped, the run goes on, and the exit code is still the run's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

const stop = new AbortController();
const state: RunState = { requestSent: false };
process.on("SIGINT", () => {
  if (stop.signal.aborted) process.exit(state.requestSent ? ExitCode.unknown : ExitCode.usage);
  stop.abort();
  // `ip1-nki mock` stops at once and says so itself; the chunk wording is the send's.
  if (process.argv[2] === "mock") return;
  process.stderr.write(
    "\nStopping: no new chunk will start; waiting for the chunks in flight (Ctrl-C again to quit now).\n",
  );
});

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stop: stop.signal,
  state,
}).then((code) => {
  process.exitCode = code;
});
