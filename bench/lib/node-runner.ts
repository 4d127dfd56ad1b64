// Runs commands with one Node binary in one temporary project: the Node under test is first on PATH, so anything a
// command starts as `node` is that Node too, and nothing from the bench's own environment changes how it runs.
import { dirname } from "node:path";
import { type CommandRun, firstLine, timeCommand } from "./command.js";
import type { NodeUnderTest } from "./node-binaries.js";

/** Variables that would change what a run does: the bench's own loader flags, and a compile cache set from outside. */
const INHERITED_NOT = ["NODE_OPTIONS", "NODE_COMPILE_CACHE", "NODE_DISABLE_COMPILE_CACHE"];

export interface NodeRunner {
  node: NodeUnderTest;
  dir: string;
  /** Times `node <args>` in the project; `env` adds to (or, when undefined, removes from) the base environment. */
  run(args: readonly string[], env?: Record<string, string | undefined>): Promise<CommandRun>;
  /** The environment every run gets. */
  env: NodeJS.ProcessEnv;
}

export function nodeRunner(node: NodeUnderTest, dir: string): NodeRunner {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(node.bin)}:${process.env.PATH ?? ""}`,
    // Neither an update check nor telemetry (a timeout would be measured as work), and no colours to parse around.
    REDOCLY_TELEMETRY: "off",
    REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
    NO_COLOR: "1",
  };
  for (const name of INHERITED_NOT) delete env[name];
  return {
    node,
    dir,
    env,
    run: (args, extra = {}) => {
      const runEnv = { ...env, ...extra };
      for (const [name, value] of Object.entries(extra)) if (value === undefined) delete runEnv[name];
      return timeCommand(node.bin, [...args], { cwd: dir, env: runEnv });
    },
  };
}

/** One figure's runs: every run's time, and why any failed (a failed run's time is kept, its goal not judged). */
export interface Timings {
  ms: number[];
  failures: string[];
}

export const noTimings = (): Timings => ({ ms: [], failures: [] });

/** Adds `run` to `timings`, noting a non-zero exit. */
export function record(timings: Timings, run: CommandRun, what = ""): CommandRun {
  timings.ms.push(run.ms);
  if (run.code !== 0) timings.failures.push(`${what ? `${what} ` : ""}exit ${run.code}: ${firstLine(run)}`);
  return run;
}
