// Reads the summary `scripts/pipeline.ts` prints ("pipeline: N ms wall" or "regenerated in N ms", then one
// "  step   N ms" or "  step   cached" row per step), so the bench reports the pipeline's own per-step timings.

/** Step name → milliseconds, from the rows of one printed summary (a cached step has no time, so no entry). */
export function parseSteps(summary: string): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const [, step, ms] of summary.matchAll(/^ {2}(\w+) +(\d+) ms$/gm)) steps[step as string] = Number(ms);
  return steps;
}

/** The steps a summary prints as `cached`. */
export function cachedSteps(summary: string): string[] {
  return [...summary.matchAll(/^ {2}(\w+) +cached$/gm)].map(([, step]) => step as string);
}

/**
 * The part of a run that produces generated/: loading Redocly and redocly.yaml (`config`), bundling, then lint on the
 * main thread while types and validators are made on the worker (version beside them).
 */
export function generationMs(steps: Record<string, number>): number {
  const at = (step: string) => steps[step] ?? 0;
  return at("config") + at("bundle") + Math.max(at("lint"), at("types"), at("validators"), at("version"));
}

/**
 * "Start-up and the rest" of a cold run's wall time: the typecheck runs in its own process from the start, alongside
 * generation, so the run's critical path is the longer of the two; the rest is Node's start-up, loading our code,
 * hashing the inputs, writing files and exiting.
 */
export function restMs(wallMs: number, steps: Record<string, number>): number {
  return wallMs - Math.max(generationMs(steps), steps.typecheck ?? 0);
}
