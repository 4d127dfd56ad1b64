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

/**
 * Arms a kill -9 at a seeded random moment, measured by the run's own progress rather than by the clock (a fast
 * machine finishes a whole send before a slow one has started Node): either soon after the start (before or while
 * the ledger is made), or after one of the next requests reaches the server, a little later, so that it lands
 * mid-request (the server holds each answer 5–45 ms) or between an answer and its record.
 */
function killMoment(random: () => number, server: FaultServer, kill: () => void): { cancel(): void } {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const later = (ms: number) => {
    if (!cancelled) timer = setTimeout(kill, ms);
  };
  if (random() < 0.3) later(Math.floor(random() * 80));
  else {
    const request = server.requests.length + 1 + Math.floor(random() * 8);
    const after = Math.floor(random() * 50);
    void server.waitForRequests(request).then(() => later(after));
  }
  return {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}

export async function killTrial(seed: number): Promise<KillTrial> {
  // Two streams, so the kill moments a seed picks do not depend on the order the server's answers happened in.
  const [random, delays] = [seededRandom(seed), seededRandom(seed + 1_000_000)];
  const server = await startFaultServer(accept, { delayMs: () => 5 + Math.floor(delays() * 40) });
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
      const armed = killMoment(random, server, () => cli.kill9());
      const ended = await cli.ended;
      armed.cancel();
      if (ended.signal === "SIGKILL") kills++;
      else if (ended.code !== null) exitCodes.push(ended.code);
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
