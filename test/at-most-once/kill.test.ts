// kill -9 at seeded random moments: a send and its resumes killed anywhere (before the journal exists, with the lock
// held, between an attempt line and its request, mid-request, between answers), then a last resume. Nobody is
// received twice, and every recipient ends in exactly one reported state. AT_MOST_ONCE_TRIALS runs more seeds; the
// bench (npm run bench -- --only at-most-once) runs many.
import { describe, expect, it } from "vitest";
import { expectPromiseKept } from "./harness.js";
import { killTrial } from "./trials.js";

const trials = Number(process.env.AT_MOST_ONCE_TRIALS ?? 3);
const seeds = Array.from({ length: trials }, (_, i) => 1000 + i);

describe("kill -9 at random moments", () => {
  it.each(seeds)(
    "seed %i: nobody twice, everyone in one state",
    async (seed) => {
      const trial = await killTrial(seed);
      expectPromiseKept(trial.report, trial.phones, trial.server);
      expect(trial.maxReceipts).toBeLessThanOrEqual(1);
      // Without --force a resume never resends an unknown chunk, so everyone else ends sent.
      const { sent, unknown } = trial.report.recipients;
      expect(sent + unknown).toBe(trial.phones.length);
      expect(trial.exitCodes.every((code) => code !== 2 || trial.server.requests === 0)).toBe(true);
    },
    60_000,
  );
});
