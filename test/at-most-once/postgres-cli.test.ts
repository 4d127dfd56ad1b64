// The CLI with `--ledger postgres://…`: two runs from two directories (two machines sharing one database) overlapping
// through a gated counting server, then one killed -9 mid-request and a rerun: each person reached once, the held one
// named, and the database's password never printed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../support/postgres.js";
import {
  accept,
  countingIp1,
  documentOf,
  expectPromiseKept,
  maxReceipts,
  runCli,
  send,
  startCli,
  workDir,
  writeUsers,
} from "./harness.js";

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

const CHUNKS = ["--chunk-size", "5", "--concurrency", "1"];

describe("a PostgreSQL ledger shared by two machines", () => {
  it("two runs overlapping, one killed mid-request, then a rerun: nobody twice", async () => {
    const url = await (postgres as TestPostgres).database();
    const password = new URL(url).password;
    const server = await countingIp1(accept, { gated: true });
    const a = workDir();
    const b = join(a, "machine-b");
    mkdirSync(b);
    const phones = writeUsers(a, 30);
    // Machine B's sheet is sorted the other way: the same people.
    writeFileSync(
      join(b, "users.csv"),
      `FirstName,Phone\n${phones
        .map((phone, i) => `N${i},${phone}`)
        .reverse()
        .join("\n")}\n`,
    );
    const args = [...send, ...CHUNKS, "--base-url", server.url, "--ledger", url];
    const first = await startCli(args, { cwd: a });
    await server.waitForRequests(1);
    const second = await startCli(args, { cwd: b });
    await server.waitForRequests(2);
    first.kill9();
    await first.ended;
    server.open();
    const ended = await second.ended;
    const report = documentOf(ended);
    expectPromiseKept(report, phones, server);
    expect(report.held["in-flight"]).toBe(5); // machine A's chunk, on the wire when it died
    expect(ended.code).toBe(3);
    const rerun = await runCli(args, { cwd: a });
    const again = documentOf(rerun);
    expect(again.held).toEqual({ sent: 25, "in-flight": 5 });
    expect(maxReceipts(server)).toBe(1);
    expect(server.receipts.size).toBe(30);
    for (const output of [ended.stdout, ended.stderr, rerun.stdout, rerun.stderr])
      expect(output).not.toContain(password);
    expect(again.ledger).not.toContain(password);
  }, 60_000);
});
