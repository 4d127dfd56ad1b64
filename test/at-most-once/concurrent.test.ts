// Two processes at once, and two names for one ledger: the same command twice at once, and a second run beside a
// running send through a symlink, a hard link (refused: SQLite names its WAL after the path), another working
// directory, and another spelling of the --ledger path, with the first run's answers held until the second has
// claimed, so the two truly overlap. The database's claims let only one of them send a given person.
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
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

describe("two processes, one ledger", () => {
  it("the same command twice at once: each person reached once, and both reports add up", async () => {
    const server = await countingIp1(accept, { delayMs: () => 20 });
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--base-url", server.url, "--ledger", "ledger.sqlite"];
    // Neither finds the ledger: both create it at the same instant (it is made under a temporary name and linked
    // into place, so neither sees it half made).
    const [a, b] = await Promise.all([startCli(args, { cwd }), startCli(args, { cwd })]);
    const ended = await Promise.all([a.ended, b.ended]);
    expect(maxReceipts(server)).toBe(1);
    expect(server.receipts.size).toBe(40);
    for (const end of ended) {
      const report = documentOf(end);
      expectPromiseKept(report, phones, server);
      // Held in flight: the other run was still sending them when this one reported (which then exits 3).
      const inFlight = report.held["in-flight"] ?? 0;
      expect(report.recipients.sent + (report.held.sent ?? 0) + inFlight).toBe(40);
      expect(end.code).toBe(inFlight > 0 ? 3 : report.recipients.sent > 0 ? 0 : 2);
    }
    expect([...ledgerRows(join(cwd, "ledger.sqlite")).values()].every((row) => row.state === "sent")).toBe(true);
  }, 30_000);

  // Each alias: how the second run names the first run's ledger, from which directory.
  const aliases: [string, (cwd: string, ledger: string) => { cwd: string; ledger: string }][] = [
    [
      "a symlink",
      (cwd, ledger) => {
        symlinkSync(ledger, join(cwd, "link.sqlite"));
        return { cwd, ledger: "link.sqlite" };
      },
    ],
    ["a relative spelling", (cwd, ledger) => ({ cwd, ledger: relative(cwd, ledger) })],
    [
      "another directory",
      (cwd, ledger) => {
        const other = join(cwd, "elsewhere");
        mkdirSync(other);
        writeFileSync(join(other, "users.csv"), readFileSync(join(cwd, "users.csv")));
        return { cwd: other, ledger: `../sub/../${relative(cwd, ledger)}` };
      },
    ],
  ];

  it.each(aliases)(
    "while the first run is sending, a second through %s texts nobody twice",
    async (_, alias) => {
      const server = await countingIp1(accept, { gated: true });
      const cwd = workDir();
      mkdirSync(join(cwd, "sub"));
      const phones = writeUsers(cwd, 30);
      const ledger = join(cwd, "state", "ledger.sqlite");
      const base = [...send, ...CHUNKS, "--base-url", server.url];
      const first = await startCli([...base, "--ledger", ledger], { cwd });
      await server.waitForRequests(1); // chunk 0 claimed and on the wire, its answer held
      const second = alias(cwd, ledger);
      const run2 = await startCli([...base, "--ledger", second.ledger, "--concurrency", "1"], { cwd: second.cwd });
      await server.waitForRequests(2); // the second run claimed the next chunk: both are sending now
      server.open();
      const [a, b] = await Promise.all([first.ended, run2.ended]);
      expect(maxReceipts(server)).toBe(1);
      expect(server.receipts.size).toBe(30);
      for (const end of [a, b]) expectPromiseKept(documentOf(end), phones, server);
      // After both finished, a third run through the alias texts nobody: exit 2, everyone held as sent.
      const after = await runCli([...base, "--ledger", second.ledger], { cwd: second.cwd });
      expect(after.code).toBe(2);
      expect(documentOf(after).held).toEqual({ sent: 30 });
      expect(maxReceipts(server)).toBe(1);
    },
    30_000,
  );

  it("a hard link to the ledger is refused before anything is sent, during and after the first run", async () => {
    const server = await countingIp1(accept, { gated: true });
    const cwd = workDir();
    writeUsers(cwd, 30);
    const base = [...send, ...CHUNKS, "--base-url", server.url];
    const first = await startCli([...base, "--ledger", "ledger.sqlite"], { cwd });
    await server.waitForRequests(1);
    linkSync(join(cwd, "ledger.sqlite"), join(cwd, "hard.sqlite"));
    const during = await runCli([...base, "--ledger", "hard.sqlite"], { cwd });
    expect(during.code).toBe(2);
    expect(documentOf(during).error).toMatch(/hard links/);
    expect(server.requests).toHaveLength(1);
    server.open();
    await first.ended;
    const after = await runCli([...base, "--ledger", "hard.sqlite"], { cwd });
    expect(after.code).toBe(2);
    expect(maxReceipts(server)).toBe(1);
  }, 30_000);
});
