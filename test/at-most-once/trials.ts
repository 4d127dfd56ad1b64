// One kill -9 trial, shared by the test (a few seeds) and the bench (many): a send killed at a seeded random moment,
// then resumes, each maybe killed too, then a last resume left to finish. Returns what the server counted.
import { readdirSync } from "node:fs";
import { startCountingIp1 } from "./counting-ip1.js";
import { documentOf, type Report, seeded, send, startCli, workDir, writeUsers } from "./harness.js";

export interface KillTrial {
  seed: number;
  kills: number;
  runs: number;
  /** The highest number of receipts of any phone. */
  maxReceipts: number;
  report: Report;
  phones: string[];
  server: Awaited<ReturnType<typeof startCountingIp1>>;
  exitCodes: number[];
}

const RECIPIENTS = 60;
const CHUNK = ["--chunk-size", "6", "--concurrency", "2"];

export async function killTrial(seed: number): Promise<KillTrial> {
  const random = seeded(seed);
  const server = await startCountingIp1({ delayMs: () => 5 + Math.floor(random() * 40) });
  const cwd = workDir();
  const phones = writeUsers(cwd, RECIPIENTS);
  const args = [...send, ...CHUNK, "--base-url", server.url];
  const journalExists = () => readdirSync(cwd).some((name) => /^ip1-nki-job-[0-9a-f]{16}\.jsonl$/.test(name));
  let kills = 0;
  let runs = 0;
  const exitCodes: number[] = [];
  try {
    for (let round = 0; round < 4; round++) {
      const resume = journalExists() ? ["--resume"] : [];
      const cli = await startCli([...args, ...resume], { cwd });
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
    const last = await (await startCli([...args, ...(journalExists() ? ["--resume"] : [])], { cwd })).ended;
    runs++;
    exitCodes.push(last.code ?? -1);
    const report = documentOf(last);
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
    };
  } finally {
    await server.close();
  }
}
