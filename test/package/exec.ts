// Runs a command to completion and reports how it ended, for tests that assert on exit codes and output.
import { execFile } from "node:child_process";

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<Finished>((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error); // could not start at all
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** The command line and its output, for an assertion message. */
export const describeRun = (what: string, run: Finished) =>
  `${what} exited ${run.code}:\n${run.stdout}${run.stderr}`.trimEnd();
