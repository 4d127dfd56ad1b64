// The order in which the variants of one comparison run: each run starts with the next variant, so none always
// runs first (on a cold file cache) or last (on one the others warmed), and a slow spell on a busy machine falls
// on every variant alike rather than on whichever was measured at the time.

/** `variants` rotated by `run - 1` (run counts from 1): run 1 → a, b, c; run 2 → b, c, a; run 3 → c, a, b. */
export function inTurn<T>(run: number, variants: readonly T[]): T[] {
  if (variants.length === 0) return [];
  const start = (run - 1) % variants.length;
  return [...variants.slice(start), ...variants.slice(0, start)];
}
