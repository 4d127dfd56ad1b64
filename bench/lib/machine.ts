// The machine a run was measured on: figures from different machines are not comparable.
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started and ended: a busy machine makes every figure noisier. */
  loadStart: number;
  loadEnd?: number;
}

export const currentLoad = () => loadavg()[0] ?? 0;

export const describeMachine = (): Machine => ({
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(totalmem() / 2 ** 30),
  os: `${type()} ${release()}`,
  node: process.version,
  loadStart: currentLoad(),
});
