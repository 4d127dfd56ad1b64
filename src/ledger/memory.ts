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
      for (const claim of claims) {
        const held = texts.get(keyOf(claim));
        if (held && !takeable.includes(held.state)) {
          result.refused.push({ claim, state: held.state });
          continue;
        }
        const attempts = (held?.attempts ?? 0) + 1;
        texts.set(keyOf(claim), { ...claim, state: "in-flight", claimedAt: now, updatedAt: now, attempts });
        result.claimed.push(claim);
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
