// Every stop tells the truth. SIGTERM, SIGHUP and `timeout` stop like the first Ctrl-C: no new chunk, the one in
// flight finishes and is recorded, then the one JSON report. A second Ctrl-C prints the report at once, naming the
// chunk in flight, and exits 3. A stdout on /dev/full or closed early changes nothing the ledger records, and
// prints no stack trace. The counting server holds answers (gated), so the stop lands while a request is in flight.
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  accept,
  countingIp1,
  documentOf,
  expectPromiseKept,
  ledgerRows,
  maxReceipts,
  runCli,
  send,
  startCli,
  workDir,
  writeUsers,
} from "./harness.js";

const CHUNKS = ["--chunk-size", "5", "--concurrency", "1"];

async function sending(wrap?: string[]) {
  const server = await countingIp1(accept, { gated: true });
  const cwd = workDir();
  const phones = writeUsers(cwd, 30);
  const args = [...send, ...CHUNKS, "--base-url", server.url, "--ledger", "ledger.sqlite"];
  const cli = await startCli(args, { cwd, ...(wrap ? { wrap } : {}) });
  return { server, cwd, phones, args, cli };
}

describe("a stop", () => {
  it.each(["SIGTERM", "SIGHUP"] as const)(
    "%s mid-request: the chunk in flight finishes and is recorded, then the report (exit 1); a rerun sends the rest",
    async (signal) => {
      const { server, cwd, phones, args, cli } = await sending();
      await server.waitForRequests(1);
      process.kill(cli.pid, signal);
      await cli.waitForOutput(`Stopping (${signal})`);
      server.open();
      const ended = await cli.ended;
      const report = documentOf(ended);
      expect(ended.code).toBe(1);
      expect(report.recipients).toMatchObject({ sent: 5, "not-sent": 25, "in-flight": 0, unknown: 0 });
      expectPromiseKept(report, phones, server);
      const rerun = await runCli(args, { cwd });
      expect(rerun.code).toBe(0);
      expect(documentOf(rerun).held).toEqual({ sent: 5 });
      expect(maxReceipts(server)).toBe(1);
      expect(server.receipts.size).toBe(30);
    },
    30_000,
  );

  it("`timeout --preserve-status`: its SIGTERM stops the run gracefully, and the run's exit code comes through", async () => {
    const { server, phones, cli } = await sending(["timeout", "--preserve-status", "3"]);
    await cli.waitForOutput("Stopping (SIGTERM)");
    server.open();
    const ended = await cli.ended;
    const report = documentOf(ended);
    expect(ended.code).toBe(report.exitCode);
    expect([0, 1]).toContain(ended.code);
    expect(report.recipients.unknown + report.recipients["in-flight"]).toBe(0);
    expectPromiseKept(report, phones, server);
    expect(maxReceipts(server)).toBeLessThanOrEqual(1);
  }, 30_000);

  it("kill -9 with --json after a chunk was spilled: no recipient's line is left on disk", async () => {
    // The report's lines wait in a temporary file (src/cli/text-spill.ts), unlinked once open: nothing outlives the run.
    const server = await countingIp1(accept, { delayMs: () => 20 });
    const cwd = workDir();
    writeUsers(cwd, 30);
    const tmp = join(cwd, "tmp");
    mkdirSync(tmp);
    const args = [...send, ...CHUNKS, "--base-url", server.url, "--ledger", "ledger.sqlite"];
    const cli = await startCli(args, { cwd, env: { TMPDIR: tmp } });
    await server.waitForRequests(2); // one worker: chunk 0 was answered and spilled before chunk 1 was sent
    cli.kill9();
    expect((await cli.ended).signal).toBe("SIGKILL");
    expect(readdirSync(tmp)).toEqual([]);
    expect(maxReceipts(server)).toBe(1);
  });

  it("a second Ctrl-C: the report at once, with the chunk in flight named (exit 3); a rerun holds it", async () => {
    const { server, cwd, phones, args, cli } = await sending();
    await server.waitForRequests(1);
    process.kill(cli.pid, "SIGINT");
    await cli.waitForOutput("Stopping (SIGINT)");
    process.kill(cli.pid, "SIGINT");
    const ended = await cli.ended;
    expect(ended.code).toBe(3);
    const report = documentOf(ended);
    expect(report.exitCode).toBe(3);
    expect(report.recipients).toMatchObject({ "in-flight": 5, "not-sent": 25, sent: 0 });
    expect(report.texts.filter((text) => text.state === "in-flight").map((text) => text.phone)).toEqual(
      phones.slice(0, 5),
    );
    server.open();
    const rerun = await runCli(args, { cwd });
    expect(rerun.code).toBe(3);
    const again = documentOf(rerun);
    expect(again.held).toEqual({ "in-flight": 5 });
    expectPromiseKept(again, phones, server);
    expect(maxReceipts(server)).toBe(1);
  }, 30_000);
});

describe("a stdout that fails", () => {
  it("on /dev/full: everyone sent and recorded, exit 0, one line on stderr and no stack trace", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    const phones = writeUsers(cwd, 30);
    const args = [...send.filter((arg) => arg !== "--json"), ...CHUNKS, "--base-url", server.url];
    const full = await runCli([...args, "--ledger", "ledger.sqlite"], {
      cwd,
      wrap: ["/bin/sh", "-c", 'exec "$@" > /dev/full', "sh"],
    });
    expect(full.code).toBe(0);
    expect(full.stderr).toMatch(/stdout failed \(ENOSPC\)/);
    expect(full.stderr).not.toMatch(/\n\s+at /);
    const rows = ledgerRows(join(cwd, "ledger.sqlite"));
    expect([...rows.values()].filter((row) => row.state === "sent" && row.id !== null)).toHaveLength(30);
    expect(phones.every((phone) => server.receipts.get(phone) === 1)).toBe(true);
  }, 30_000);

  it("closed early (EPIPE): the outcome and the exit code are the same; a rerun texts nobody", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    const phones = writeUsers(cwd, 30);
    const args = [...send.filter((arg) => arg !== "--json"), ...CHUNKS, "--base-url", server.url];
    const closed = await runCli([...args, "--ledger", "ledger.sqlite"], { cwd, closeStdout: true });
    expect(closed.stderr).not.toMatch(/\n\s+at /);
    expect(closed.code).toBe(0);
    expect(server.receipts.size).toBe(30);
    const rerun = await runCli([...send, ...CHUNKS, "--base-url", server.url, "--ledger", "ledger.sqlite"], { cwd });
    expect(rerun.code).toBe(2);
    expectPromiseKept(documentOf(rerun), phones, server);
  }, 30_000);
});
