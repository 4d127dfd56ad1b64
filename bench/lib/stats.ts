// The arithmetic every figure in bench/RESULTS.md goes through: one summary per set of runs, one ratio per anchor.

export interface Summary {
  /** The middle run (the mean of the two middle runs for an even count): robust to one slow outlier. */
  median: number;
  min: number;
  max: number;
  /** How many runs the summary is made of. */
  runs: number;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summary of no samples");
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length };
}

/** `value / anchor`; undefined when the anchor is zero or missing, so no figure shows a ratio it does not have. */
export function ratio(value: number, anchor: number | undefined): number | undefined {
  if (anchor === undefined || anchor === 0 || !Number.isFinite(anchor)) return undefined;
  return value / anchor;
}

/** Appends one run's value to the samples kept under `key`. */
export function addSample(samples: Record<string, number[]>, key: string, value: number): void {
  const list = samples[key];
  if (list) list.push(value);
  else samples[key] = [value];
}
