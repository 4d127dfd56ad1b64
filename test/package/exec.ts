// Runs a command to completion and reports how it ended, for tests that assert on exit codes and output. The child
// runs in its own process group, killed with its test (test/support/processes.ts).
import { constants } from "node:os";
import { run } from "../support/processes.js";

export interface Finished {
  /** The exit code; for a process ended by a signal, 128 + the signal's number, as a shell reports it. */
  code: number;
  stdout: string;
  stderr: string;
}

export async function exec(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Finished> {
  const { code, signal, stdout, stderr } = await run(command, args, options);
  return { code: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout, stderr };
}

/** The command line and its output, for an assertion message. */
export const describeRun = (what: string, run: Finished) =>
  `${what} exited ${run.code}:\n${run.stdout}${run.stderr}`.trimEnd();
