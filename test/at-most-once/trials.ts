// One kill -9 trial, shared by the test (a few seeds) and the bench (many): a send killed at a seeded random moment,
// then the same command again (the rerun is the resume), each maybe killed too, then a last run left to finish.
// Returns what the server counted and what the ledger file holds.
import { rmSync } from "node:fs";
import { seededRandom } from "../../src/mock/seeded-random.js";
import { type FaultServer, startFaultServer } from "../support/fault-server.js";
import { accept, documentOf, ledgerRows, type Report, send, startCli, workDir, writeUsers } from "./harness.js";

export interface KillTrial {
  seed: number;
  kills: number;
  runs: number;
  /** The highest number of receipts of any phone. */
  maxReceipts: number;
  report: Report;
  phones: string[];
  server: FaultServer;
  exitCodes: number[];
  rows: ReturnType<typeof ledgerRows>;
  /** A kill left the ledger file empty (while it was being made), and the trial followed the advice to delete it. */
  emptyLedgerDeleted: boolean;
}

// 60 recipients in chunks of 6 with 2 workers: the CLI sends windows of 24 (windowSize in src/cli/send.ts), so each
// first run spans three windows and a kill can land in any, or between them.
const RECIPIENTS = 60;
const CHUNK = ["--chunk-size", "6", "--concurrency", "2"];

export async function killTrial(seed: number): Promise<KillTrial> {
  const random = seededRandom(seed);
  const server = await startFaultServer(accept, { delayMs: () => 5 + Math.floor(random() * 40) });
  const cwd = workDir();
  const phones = writeUsers(cwd, RECIPIENTS);
  const ledger = `${cwd}/ledger.sqlite`;
  const args = [...send, ...CHUNK, "--base-url", server.url, "--ledger", ledger];
  let kills = 0;
  let emptyLedgerDeleted = false;
  let runs = 0;
  const exitCodes: number[] = [];
  try {
    for (let round = 0; round < 4; round++) {
      const cli = await startCli(args, { cwd });
      runs++;
      // Node takes ~100–300 ms to start; kills land before, during and after the sends.
      const killAfter = 50 + Math.floor(random() * 500);
      const timer = setTimeout(() => {
        kills++;
        cli.kill9();
      }, killAfter);
      const ended = await cli.ended;
      clearTimeout(timer);
      if (ended.signal !== "SIGKILL" && ended.code !== null) exitCodes.push(ended.code);
    }
    let last = await (await startCli(args, { cwd })).ended;
    runs++;
    exitCodes.push(last.code ?? -1);
    let report = documentOf(last);
    if (report.error?.includes("is empty (0 bytes)")) {
      // A kill while the ledger file was being made leaves it empty; every run refuses it, and its advice (delete it
      // if no send ever used it) is safe only if nothing was ever sent: a claim needs the made schema first.
      if (server.requests.length > 0)
        throw new Error(`seed ${seed}: an empty ledger after ${server.requests.length} requests`);
      emptyLedgerDeleted = true;
      rmSync(ledger, { force: true });
      last = await (await startCli(args, { cwd })).ended;
      runs++;
      exitCodes.push(last.code ?? -1);
      report = documentOf(last);
    }
    if (report.error) throw new Error(`seed ${seed}: the last run ended ${last.code}: ${report.error}`);
    return {
      seed,
      kills,
      runs,
      maxReceipts: Math.max(0, ...server.receipts.values()),
      report,
      phones,
      server,
      exitCodes,
      rows: ledgerRows(ledger),
      emptyLedgerDeleted,
    };
  } finally {
    await server.close();
  }
}
