// A ledger in this process's memory, for simulator runs (--mock) and tests: the same rules as the stores, no driver,
// and nothing kept once the process ends. Never for real sends: it forgets everyone it held.
import type {
  ClaimOptions,
  ClaimResult,
  Ledger,
  LedgerFilter,
  TextClaim,
  TextEntry,
  TextKey,
  TextOutcome,
} from "./ledger.js";
import { claimableStates, statesOf } from "./rows.js";

/** The spec `openLedger` takes for a memory ledger. */
export const MEMORY_LEDGER = "memory:";

export function createMemoryLedger(): Ledger {
  const texts = new Map<string, TextEntry>();
  const keyOf = ({ target, nki, round, phone }: TextKey) => JSON.stringify([target, nki, round, phone]);
  return {
    location: MEMORY_LEDGER,
    async claim(claims: readonly TextClaim[], options: ClaimOptions = {}): Promise<ClaimResult> {
      const result: ClaimResult = { claimed: [], refused: [] };
      const takeable = claimableStates(options);
      const now = new Date().toISOString();
      // A text given twice is claimed once, the repeat refused as in flight (as the other stores do).
      const seen = new Set<string>();
      for (const claim of claims) {
        const key = keyOf(claim);
        const held = texts.get(key);
        if (seen.has(key)) result.refused.push({ claim, state: "in-flight" });
        else if (held && !takeable.includes(held.state)) {
          result.refused.push({ claim, state: held.state });
        } else {
          const attempts = (held?.attempts ?? 0) + 1;
          texts.set(key, { ...claim, state: "in-flight", claimedAt: now, updatedAt: now, attempts });
          result.claimed.push(claim);
        }
        seen.add(key);
      }
      return result;
    },
    async record(outcomes: readonly TextOutcome[]) {
      const now = new Date().toISOString();
      for (const { state, ip1, error, note, ...key } of outcomes) {
        const held = texts.get(keyOf(key));
        if (held) texts.set(keyOf(key), { ...held, state, ip1, error, note, updatedAt: now });
      }
    },
    async get(key: TextKey) {
      const held = texts.get(keyOf(key));
      return held && { ...held };
    },
    async *list(filter: LedgerFilter = {}) {
      const states = statesOf(filter.state);
      for (const entry of [...texts.values()]) {
        if (!states.includes(entry.state)) continue;
        if (filter.target !== undefined && entry.target !== filter.target) continue;
        if (filter.nki !== undefined && entry.nki !== filter.nki) continue;
        if (filter.round !== undefined && entry.round !== filter.round) continue;
        yield { ...entry };
      }
    },
    async close() {},
  };
}
