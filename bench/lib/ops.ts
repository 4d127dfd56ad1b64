// A tiny tinybench: ops/s of an async operation over a fixed number of iterations (not a fixed time), so every run
// of every variant does the same work.

/** Runs `op` `iterations` times, one after another, and returns operations per second. */
export async function opsPerSecond(op: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await op();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return iterations / seconds;
}
