// What a benchmark hands back (figures in sections, each with its anchor and goal), and their summary and ratio.

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
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length };
}

/** `value / anchor`; undefined when the anchor is zero or missing, so no figure shows a ratio it does not have. */
export function ratio(value: number, anchor: number | undefined): number | undefined {
  if (anchor === undefined || anchor === 0 || !Number.isFinite(anchor)) return undefined;
  return value / anchor;
}

export type Unit = "ms" | "ops/s" | "B" | "MB" | "req/s" | "recipients/s";

export interface Anchor {
  /** What the figure is compared with, e.g. "CLI chain (TS 5.9)". */
  label: string;
  median: number;
}

export interface FigureSpec {
  /** Stable key in results.json, e.g. "pipeline.edit". */
  id: string;
  label: string;
  unit: Unit;
  /** Every run's value, in run order. Empty when every run failed. */
  samples: number[];
  /** What the figure is compared with (the ratio is median / the anchor's median). */
  anchor?: Anchor | undefined;
  /** Judges the median (and ratio, when there is an anchor); absent when there is no goal. */
  goal?: { text: string; met: (median: number, ratio: number | undefined) => boolean } | undefined;
  /** Why some runs failed; the figure is then reported but its goal not judged. */
  failed?: string | undefined;
  /** The same every run (a size, not a time), so one run is the measurement. */
  deterministic?: boolean;
}

export interface Figure extends Omit<FigureSpec, "goal" | "failed"> {
  /** Undefined when no run succeeded. */
  summary: Summary | undefined;
  ratio?: number;
  /** `met` is undefined when not judged: no run succeeded, or some failed. */
  goal?: { text: string; met: boolean | undefined };
  /** "FAILED: " and why, when some runs failed. */
  note?: string;
}

export interface Section {
  id: string;
  title: string;
  figures: Figure[];
  /** How to read this section: what is measured, how, and what it leaves out. */
  notes: string[];
  /** Set when the benchmark could not run at all; its figures are then whatever it finished. */
  error?: string;
  seconds: number;
}

export function figure({ goal, failed, anchor, deterministic, ...spec }: FigureSpec): Figure {
  const summary = spec.samples.length > 0 ? summarize(spec.samples) : undefined;
  const figureRatio = summary && anchor ? ratio(summary.median, anchor.median) : undefined;
  const met = goal && summary && !failed ? goal.met(summary.median, figureRatio) : undefined;
  return {
    ...spec,
    summary,
    ...(anchor && { anchor }),
    ...(figureRatio !== undefined && { ratio: figureRatio }),
    ...(goal && { goal: { text: goal.text, met } }),
    ...(failed && { note: `FAILED: ${failed}` }),
    ...(deterministic && { deterministic: true }),
  };
}

/** An anchor made from another figure (its label and median), or undefined when that figure has no runs. */
export function anchorOf(anchor: Figure): Anchor | undefined {
  return anchor.summary ? { label: anchor.label, median: anchor.summary.median } : undefined;
}

/** "2 of 5 runs: <first reason>", or undefined when nothing failed. */
export function failureSummary(failures: readonly string[], runs: number): string | undefined {
  return failures.length > 0 ? `${failures.length} of ${runs} runs: ${failures[0]}` : undefined;
}
