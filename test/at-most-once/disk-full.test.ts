// A disk that fills mid-write: the CLI runs under RLIMIT_FSIZE (`ulimit -f`, SIGXFSZ ignored as Node does), so a
// journal write fails with EFBIG after a short write, at a different line for each limit. A line that cannot be made
// durable is cut off and its request is not sent; the run reports it and never claims "nothing was sent" (exit 2)
// once anything went out. Then a resume with room to write finishes the job: nobody twice, nobody lost.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countingIp1, documentOf, expectPromiseKept, runCli, send, workDir, writeUsers } from "./harness.js";

// 512-byte blocks (dash's ulimit -f): the whole journal of this job is about 3.4 KB, so these cut it at the run line,
// and at attempt and outcome lines of various chunks. AT_MOST_ONCE_TRIALS > 3 tries every size that cuts it.
const limits = Number(process.env.AT_MOST_ONCE_TRIALS ?? 3) > 3 ? [1, 2, 3, 4, 5, 6] : [1, 3, 5];

describe("a disk that fills mid-write", () => {
  it.each(limits)(
    "journal capped at %i blocks: no request without its durable attempt line",
    async (blocks) => {
      const server = await countingIp1();
      const cwd = workDir();
      const phones = writeUsers(cwd, 60);
      const args = [...send, "--chunk-size", "6", "--concurrency", "2", "--base-url", server.url];
      const full = await runCli(args, { cwd, fileSizeBlocks: blocks });
      const report = documentOf(full);
      if (server.requests > 0) {
        expect(full.code).not.toBe(2);
        expect(full.stdout).toMatch(/cannot write the journal \(EFBIG\)/);
        expect(report.recipients.sent + report.recipients.unknown + report.recipients.notSent).toBe(60);
      } else {
        expect(full.code).toBe(2);
        expect(report.error).toMatch(/EFBIG/);
      }
      const sentWhileFull = server.requests;
      const hasJournal = readdirSync(cwd).some((name) => name.endsWith(".jsonl"));
      const resumed = await runCli([...args, ...(hasJournal ? ["--resume"] : [])], { cwd });
      const final = documentOf(resumed);
      expectPromiseKept(final, phones, server);
      expect(final.recipients.sent + final.recipients.unknown).toBe(60);
      // An unknown chunk is one whose answer could not be recorded: at most the chunks in flight (2).
      expect(final.recipients.unknown).toBeLessThanOrEqual(12);
      if (sentWhileFull === 0) expect(final.recipients.sent).toBe(60);
    },
    30_000,
  );
});
