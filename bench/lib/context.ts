// What every benchmark is given (its runs, its log), and the machine a run was measured on (figures from another
// machine are not comparable).
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { opsPerSecond } from "./command.js";

export interface BenchContext {
  /** `--quick`: fewer runs, for checking the harness end to end; the report marks such figures. */
  quick: boolean;
  /** Runs per figure: 5 normally (the report's rule), fewer with --quick. */
  runs: number;
  /** Progress, to stderr, so stdout stays clean and the results are written only at the end. */
  log(message: string): void;
}

/** Runs per figure in a full run: the report's rule is the median of at least this many. */
export const FULL_RUNS = 5;

export function createContext(quick: boolean): BenchContext {
  const started = performance.now();
  return {
    quick,
    runs: quick ? 2 : FULL_RUNS,
    log: (message) =>
      process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`),
  };
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  os: string;
  node: string;
  /** `node -e 0` from spawn to exit, the mean of 10: one "AMD EPYC" here ran the suite twice as fast as another. */
  nodeStartMs: number;
  /** 1-minute load average when the run started and ended: a busy machine makes every figure noisier. */
  loadStart: number;
  loadEnd?: number;
}

export const currentLoad = () => loadavg()[0] ?? 0;

export const describeMachine = async (): Promise<Machine> => ({
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(totalmem() / 2 ** 30),
  os: `${type()} ${release()}`,
  node: process.version,
  nodeStartMs: 1000 / (await opsPerSecond(async () => execFileSync(process.execPath, ["-e", "0"], { env: {} }), 10)),
  loadStart: currentLoad(),
});
