// `pipeline --watch`: how long after a one-field spec edit the regenerated files (and the typecheck) are done.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { firstMessage } from "./lib/command.js";
import type { NodeRunner } from "./lib/node-runner.js";
import { parseSteps } from "./lib/pipeline-output.js";

/**
 * The one field each edit changes, to a value it never had before: every edit changes the bundle, the types and the
 * validators, and none of them can come from the step cache (flipping back and forth would hit it).
 */
const EDITED_FILE = "spec/components/schemas/NkiUser.yaml";
const FIELD = /maxLength: (\d+)/;

export interface WatchRuns {
  /** From the file write until the "regenerated in N ms" line arrives. */
  endToEnd: number[];
  /** The printed total less the typecheck step. */
  generation: number[];
  typecheck: number[];
  failures: string[];
}

interface Regeneration {
  arrivedNs: bigint;
  /** The printed summary, or the error the watcher printed. */
  steps?: Record<string, number>;
  totalMs?: number;
  error?: string;
}

/**
 * Starts `node <args>` (the pipeline command, ending in --watch) in the runner's project, waits for its first run,
 * then makes `runs` edits (after one warm-up edit), each timed until its summary arrives.
 */
export async function measureWatch(
  runner: NodeRunner,
  args: readonly string[],
  runs: number,
  log: (message: string) => void,
): Promise<WatchRuns> {
  const watcher = startWatcher(runner, args);
  const result: WatchRuns = { endToEnd: [], generation: [], typecheck: [], failures: [] };
  const path = join(runner.dir, EDITED_FILE);
  try {
    await watcher.next(120_000); // the initial run
    for (let run = 0; run <= runs; run++) {
      const before = readFileSync(path, "utf8");
      const value = FIELD.exec(before)?.[1];
      if (value === undefined)
        throw new Error(`${EDITED_FILE} has no \`maxLength\` to change; update bench/pipeline-watch.ts.`);
      watcher.drain();
      const writtenNs = process.hrtime.bigint();
      writeFileSync(path, before.replace(FIELD, `maxLength: ${Number(value) + 1}`));
      const regeneration = await watcher.next(60_000);
      if (run === 0) continue; // warm-up edit
      log(`pipeline --watch on Node ${runner.node.major}: edit ${run}/${runs}`);
      if (regeneration.error !== undefined) {
        result.failures.push(regeneration.error);
        continue;
      }
      const { steps = {}, totalMs = 0 } = regeneration;
      result.endToEnd.push(Number(regeneration.arrivedNs - writtenNs) / 1e6);
      result.typecheck.push(steps.typecheck ?? 0);
      result.generation.push(totalMs - (steps.typecheck ?? 0));
    }
    return result;
  } finally {
    await watcher.stop();
  }
}

interface Watcher {
  /** The next regeneration (or failure) the watcher prints. */
  next(timeoutMs: number): Promise<Regeneration>;
  /** Forgets regenerations already printed, so the next edit is matched to its own. */
  drain(): void;
  stop(): Promise<void>;
}

function startWatcher(runner: NodeRunner, args: readonly string[]): Watcher {
  // Its own process group, so stopping it stops anything it started (a typecheck in flight) too.
  const child = spawn(runner.node.bin, [...args], {
    cwd: runner.dir,
    env: runner.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done: Regeneration[] = [];
  let wake: (() => void) | undefined;
  let stdout = "";
  let stderr = "";
  const arrived = (regeneration: Regeneration) => {
    done.push(regeneration);
    wake?.();
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    const arrivedNs = process.hrtime.bigint();
    stdout += chunk.toString();
    for (let match = SUMMARY.exec(stdout); match; match = SUMMARY.exec(stdout)) {
      arrived({ arrivedNs, totalMs: Number(match[1]), steps: parseSteps(match[0]) });
      stdout = stdout.slice((match.index ?? 0) + match[0].length);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    const arrivedNs = process.hrtime.bigint();
    stderr += chunk.toString();
    for (let match = FAILURE.exec(stderr); match; match = FAILURE.exec(stderr)) {
      arrived({ arrivedNs, error: `--watch: ${firstMessage(match[1] ?? "")} (done: ${match[2]})` });
      stderr = stderr.slice((match.index ?? 0) + match[0].length);
    }
  });
  return {
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (done.length === 0) {
        if (child.exitCode !== null) throw new Error(`pipeline --watch exited ${child.exitCode}: ${stderr.trim()}`);
        if (Date.now() > deadline) throw new Error(`pipeline --watch printed nothing within ${timeoutMs} ms.`);
        // Woken by the next printed result, or after a second to re-check the exit and the deadline.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return done.shift() as Regeneration;
    },
    drain: () => {
      done.length = 0;
    },
    stop: () => stopGroup(child),
  };
}

const SUMMARY = /regenerated in (\d+) ms\n(?: {2}\w+ +(?:\d+ ms|cached)\n)*changed:\n/;
const FAILURE = /([^\n][\s\S]*?)\n\(done: ([^)]*)\)\n/;

function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    process.kill(-pid, "SIGTERM");
  });
}
