// What an operator does: the same command twice (refused by the ledger, naming how many and in which state), then
// --send-again (says how many), a new --round, --force after a crash (lists whom it texts), IP1 answering 200 with
// too few records, 0.2.0's --journal, and --json for every ending.
import { describe, expect, it } from "vitest";
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

const CHUNKS = ["--chunk-size", "10", "--concurrency", "2"];

describe("the same command twice", () => {
  it("the second run is refused for everyone (exit 2); --send-again says how many; a new --round is new", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--base-url", server.url];
    expect((await runCli(args, { cwd })).code).toBe(0);
    const again = await runCli(
      args.filter((arg) => arg !== "--json"),
      { cwd },
    );
    expect(again.code).toBe(2);
    expect(again.stdout).toContain("The ledger holds 40 of them as texted in this round: they are not texted again");
    expect(again.stdout).toContain("40 held by the ledger (40 sent)");
    expect(maxReceipts(server)).toBe(1);

    const twice = await runCli([...args, "--send-again"], { cwd });
    expect(twice.code).toBe(0);
    const report = documentOf(twice);
    expect(report.sentAgain).toBe(40);
    expectPromiseKept(report, phones, server, () => 2);
    expect([...server.receipts.values()].every((count) => count === 2)).toBe(true);

    const next = await runCli([...args, "--round", "2027-01"], { cwd });
    expect(next.code).toBe(0);
    expect(documentOf(next).recipients.sent).toBe(40);
    expect([...server.receipts.values()].every((count) => count === 3)).toBe(true);
  }, 30_000);
});

describe("--force after a crash", () => {
  it("texts the people held in flight, after listing them; nobody else twice", async () => {
    const server = await countingIp1([accept, { hang: true }, accept]);
    const cwd = workDir();
    const phones = writeUsers(cwd, 30);
    const args = [...send, "--chunk-size", "5", "--concurrency", "1", "--base-url", server.url];
    const first = await startCli(args, { cwd });
    await server.waitForRequests(2);
    first.kill9();
    await first.ended;
    const forced = await runCli([...args.filter((arg) => arg !== "--json"), "--force"], { cwd });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("--force: texting 5 whose earlier text may have gone out");
    for (const phone of phones.slice(5, 10)) expect(forced.stdout).toContain(`${phone} (`);
    expect(forced.stdout).toContain("5 texted again with --force");
    const inFlight = new Set(phones.slice(5, 10));
    for (const [phone, count] of server.receipts) expect(count, phone).toBe(inFlight.has(phone) ? 2 : 1);
  }, 30_000);
});

describe("IP1 answers 200 with too few records", () => {
  it("recipients without a record are failed, with their CSV lines and why (exit 1)", async () => {
    // The first chunk answered with records for half its recipients, the second with none.
    const server = await countingIp1([{ accept: true, short: true }, { answer: 200, body: "[]" }, accept]);
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--concurrency", "1", "--base-url", server.url];
    const result = await runCli(args, { cwd });
    expect(result.code).toBe(1);
    const report = documentOf(result);
    expect(report.recipients).toMatchObject({ total: 40, sent: 25, failed: 15, unknown: 0 });
    const failed = report.texts.filter((text) => text.state === "failed");
    expect(failed[0]).toMatchObject({ phone: phones[5], line: 7, error: expect.stringContaining("without a record") });
    // IP1's ID comes back for every recipient it answered a record for.
    expect(report.texts.filter((text) => text.state === "sent").every((text) => text.ip1?.id !== undefined)).toBe(true);
    expectPromiseKept(report, phones, server);
    expect(maxReceipts(server)).toBe(1);
  }, 30_000);
});

describe("0.2.0 habits and --json", () => {
  it("--journal is refused with a pointer to --ledger and ledger import; nothing is sent", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    writeUsers(cwd, 5);
    const result = await runCli([...send, "--journal", "job.jsonl", "--base-url", server.url], { cwd });
    expect(result.code).toBe(2);
    expect(documentOf(result).error).toMatch(/--journal: .*ip1-nki ledger import/);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [["send", "--json", "--nki", "42"], 2, "--from is required"],
    [["send", "--json", "--bogus"], 2, "Unknown option '--bogus'"],
    [["transmit", "--json"], 2, 'unknown command "transmit"'],
    [["ledger", "settle", "--json", "--phone", "+46701234567"], 2, "--state is required"],
    [["send", "--json", "--help"], 0, undefined],
  ])("--json prints exactly one JSON document for %j", async (args, exitCode, error) => {
    const result = await runCli(args, { cwd: workDir() });
    expect(result.code).toBe(exitCode);
    expect(documentOf(result)).toMatchObject(
      error === undefined
        ? { exitCode, help: expect.stringContaining("Usage:") }
        : { exitCode, error: expect.stringContaining(error) },
    );
  });
});
