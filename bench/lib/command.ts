// How the benchmarks time things: a command from spawn to exit (no shell), and ops/s over a fixed number of
// iterations (not a fixed time), so every run does the same work.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { text } from "node:stream/consumers";

export interface CommandRun {
  ms: number;
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function timeCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandRun> {
  const start = process.hrtime.bigint();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: "pipe" });
  let ms = 0;
  child.once("exit", () => {
    ms = Number(process.hrtime.bigint() - start) / 1e6;
  });
  // "close" comes after "exit" once the pipes are drained; the time was taken at "exit".
  const [stdout, stderr, [code]] = await Promise.all([text(child.stdout), text(child.stderr), once(child, "close")]);
  return { ms, code, stdout, stderr };
}

/** The first meaningful line of a failed command's output (and the next after an intro such as "Typecheck failed:"). */
export function firstLine(run: CommandRun): string {
  // Box-drawn banners (Redocly's Node deprecation notice) are not the reason.
  const lines = `${run.stderr}\n${run.stdout}`
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^[║╔╚]/.test(line));
  const [first, second] = lines;
  return (first?.endsWith(":") && second ? `${first} ${second}` : first) ?? `exit ${run.code}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes vitest prints
export const plain = (output: string) => output.replace(/\x1b\[[0-9;]*m/g, "");

/** Why a vitest run failed: its first failed test and the line after, its error (both on stderr); else firstLine. */
export function failure(run: CommandRun): string {
  const [, test, error] = /^ *FAIL +(.*)\n *(.*)$/m.exec(plain(`${run.stdout}\n${run.stderr}`)) ?? [];
  return `exit ${run.code}: ${test ? `${test.trim()}: ${error}` : firstLine(run)}`;
}

/** Runs `op` `iterations` times, one after another, and returns operations per second. */
export async function opsPerSecond(op: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await op();
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}
