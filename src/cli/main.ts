#!/usr/bin/env node
// The ip1-nki bin. Ctrl-C once: no new chunk starts, and the chunks in flight finish and are journaled.
// Ctrl-C twice: exit now; the journal marks the chunks in flight as attempted, so a resume will not resend them.
import { run } from "./run.js";

// A reader that hangs up (`ip1-nki send … | head -1`) must not change the outcome or the exit code: what is left to
// print is dropped, the run goes on, and the exit code is still the run's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

const stop = new AbortController();
process.on("SIGINT", () => {
  if (stop.signal.aborted) process.exit(130);
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
}).then((code) => {
  process.exitCode = code;
});
