// kill -9 at seeded random moments: a send and its reruns killed anywhere (before the ledger exists, between a claim
// and its request, mid-request, between an answer and its record), then a last run. Nobody is received twice, every
// recipient ends in exactly one state in the report and one row in the ledger, and a text the ledger holds as sent
// was received. AT_MOST_ONCE_TRIALS runs more seeds; the bench (npm run bench -- --only ledger) runs many.
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
      expect(trial.kills, "no kill landed: the trial proved nothing").toBeGreaterThan(0);
      // Without --force a rerun never texts anyone held in flight, so everyone ends sent, or held in flight.
      const { recipients, held } = trial.report;
      expect(recipients.sent + (held.sent ?? 0) + (held["in-flight"] ?? 0) + (held.unknown ?? 0)).toBe(60);
      expect(trial.rows.size).toBe(60);
      for (const [phone, row] of trial.rows) {
        const received = trial.server.receipts.get(phone) ?? 0;
        if (row.state === "sent") expect(received, phone).toBe(1);
        expect(["sent", "in-flight", "unknown"]).toContain(row.state);
      }
      // Exit 3 when anyone is held in flight (a kill mid-request); else 0, or 2 when an earlier run had sent everyone
      // (it was killed after its last record) and the last one texted nobody.
      const inDoubt = (held["in-flight"] ?? 0) + (held.unknown ?? 0);
      expect(trial.report.exitCode).toBe(inDoubt > 0 ? 3 : recipients.sent > 0 ? 0 : 2);
    },
    60_000,
  );
});
