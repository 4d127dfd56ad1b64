// Reads the summary `scripts/pipeline.ts` prints ("pipeline: N ms wall" or "regenerated in N ms", then one
// "  step   N ms" row per step), so the bench reports the pipeline's own per-step timings.

/** Step name → milliseconds, from the rows of one printed summary. */
export function parseSteps(summary: string): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const [, step, ms] of summary.matchAll(/^ {2}(\w+) +(\d+) ms$/gm)) steps[step as string] = Number(ms);
  return steps;
}

/**
 * The part of a run that produces generated/ (before the typecheck): config, lint and bundle one after another,
 * then types (on a worker) alongside validators.
 */
export function generationMs(steps: Record<string, number>): number {
  const at = (step: string) => steps[step] ?? 0;
  return at("config") + at("lint") + at("bundle") + Math.max(at("types"), at("validators"));
}
