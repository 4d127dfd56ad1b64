// Where the suite's time goes (npm run bench's suite section): with IP1_NKI_FILE_USAGE naming a file, each test file
// appends one JSON line to it: its wall time, the CPU its worker spent on it, and the CPU of the child processes it
// started (Prism, the CLI, tsc, PostgreSQL: counted once each has been waited for). Its imports are not counted.
// Linux only: the children's CPU comes from /proc/self/stat.
import { appendFileSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";

/** [user, system, children's user, children's system] CPU seconds of this process so far. */
function cpuSeconds(): number[] {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  return [11, 12, 13, 14].map((field) => Number(fields[field]) / 100); // utime, stime, cutime, cstime (in ticks)
}

export interface FileUsage {
  file: string;
  wallS: number;
  cpuS: number;
  childrenCpuS: number;
}

export function recordFileUsage(log: string) {
  let start: { at: number; cpu: number[] };
  beforeAll(() => {
    start = { at: performance.now(), cpu: cpuSeconds() };
  });
  afterAll(() => {
    const [user, system, childUser, childSystem] = cpuSeconds().map((now, i) => now - (start.cpu[i] ?? 0));
    const usage: FileUsage = {
      file: expect.getState().testPath ?? "",
      wallS: (performance.now() - start.at) / 1000,
      cpuS: (user ?? 0) + (system ?? 0),
      childrenCpuS: (childUser ?? 0) + (childSystem ?? 0),
    };
    appendFileSync(log, `${JSON.stringify(usage)}\n`);
  });
}
