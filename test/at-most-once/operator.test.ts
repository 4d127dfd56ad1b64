// What an operator does: the same command twice, a resume against another target or the mock, a pipe closed early,
// --json for every ending, and IP1 answering 200 with too few records or none.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countingIp1, documentOf, expectPromiseKept, runCli, send, startCli, workDir, writeUsers } from "./harness.js";

const CHUNKS = ["--chunk-size", "10", "--concurrency", "2"];

describe("the same command twice", () => {
  it("the second run finds the job's journal and refuses (exit 2); --send-again is the explicit way", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--base-url", server.url];
    expect((await runCli(args, { cwd })).code).toBe(0);
    const again = await runCli(args, { cwd });
    expect(again.code).toBe(2);
    const refusal = documentOf(again);
    expect(refusal.error).toContain("this job has a journal already");
    expect(again.stdout).toContain("It holds: 40 sent, 0 failed, 0 without a record, 0 refused, 0 unknown, 0 not sent");
    expect(server.twice()).toEqual([]);
    expect(readdirSync(cwd).filter((name) => name.endsWith(".jsonl"))).toHaveLength(1);

    const forced = await runCli([...args, "--send-again"], { cwd });
    expect(forced.code).toBe(0);
    expectPromiseKept(documentOf(forced), phones, server, () => 2);
    expect([...server.receipts.values()].every((count) => count === 2)).toBe(true);
  }, 30_000);
});

describe("another target", () => {
  it("a resume against another origin, or the mock, is refused before anything is sent", async () => {
    const real = await countingIp1({ answer: (index) => (index === 1 ? "hang" : "accept") });
    const other = await countingIp1();
    const cwd = workDir();
    writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--concurrency", "1", "--journal", "job.jsonl"];
    const first = await startCli([...args, "--base-url", real.url], { cwd });
    await real.waitForRequests(2);
    first.kill9();
    await first.ended;

    const elsewhere = await runCli([...args, "--base-url", other.url, "--resume"], { cwd });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toContain(`the target: the journal has ${real.url}, this run ${other.url}`);
    // The mock is refused before it is started (so this needs no Prism).
    const mock = await runCli([...args, "--mock", "--resume"], { cwd });
    expect(mock.code).toBe(2);
    expect(mock.stdout).toContain(`the target: the journal has ${real.url}, this run the embedded mock`);
    expect(other.requests).toBe(0);
    expect(real.requests).toBe(2);

    // The default journal is per target too: the same command against another origin is another job.
    const defaultPath = await runCli([...send, ...CHUNKS, "--base-url", other.url, "--resume"], { cwd });
    expect(documentOf(defaultPath).error).toContain("there is no journal of this job to resume");
  }, 30_000);

  it("a mock's journal resumed against a real target is refused", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    writeUsers(cwd, 20);
    const args = [...send, ...CHUNKS, "--journal", "job.jsonl", "--base-url", server.url];
    expect((await runCli(args, { cwd })).code).toBe(0);
    // As a --mock run writes it: the target is the mock (the header is what counts).
    const path = join(cwd, "job.jsonl");
    const [header, ...rest] = readFileSync(path, "utf8").split("\n");
    const mockHeader = { ...JSON.parse(header as string), target: { mock: true } };
    writeFileSync(path, [JSON.stringify(mockHeader), ...rest].join("\n"));
    const result = await runCli([...args, "--resume"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`the target: the journal has the embedded mock, this run ${server.url}`);
    expect(server.requests).toBe(2);
  }, 30_000);
});

describe("IP1 answers 200 with too few records", () => {
  it("recipients without a record are a state of their own, with their CSV lines (exit 1), and never resent", async () => {
    const server = await countingIp1({
      answer: (index) => (["short", "empty"][index] as "short" | "empty") ?? "accept",
    });
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--concurrency", "1", "--base-url", server.url];
    const result = await runCli(args, { cwd });
    expect(result.code).toBe(1);
    const report = documentOf(result);
    expect(report.recipients).toEqual({
      total: 40,
      sent: 25,
      failed: 0,
      noRecord: 15,
      refused: 0,
      unknown: 0,
      notSent: 0,
    });
    expect(report.noRecord.slice(0, 6)).toEqual([
      { phone: phones[5], line: 7 },
      { phone: phones[6], line: 8 },
      { phone: phones[7], line: 9 },
      { phone: phones[8], line: 10 },
      { phone: phones[9], line: 11 },
      { phone: phones[10], line: 12 },
    ]);
    expectPromiseKept(report, phones, server);
    const resumed = await runCli([...args, "--resume"], { cwd });
    expect(resumed.code).toBe(1);
    expect(server.requests).toBe(4);
  }, 30_000);
});

describe("output", () => {
  it("a reader that hangs up early does not change the outcome or the exit code", async () => {
    const server = await countingIp1();
    const cwd = workDir();
    const phones = writeUsers(cwd, 30);
    const args = [...send.filter((arg) => arg !== "--json"), ...CHUNKS, "--base-url", server.url];
    const closed = await runCli(args, { cwd, closeStdout: true });
    expect(closed.stderr).toBe("");
    expect(closed.code).toBe(0);
    expect(server.receipts.size).toBe(30);
    const report = documentOf(await runCli([...send, ...CHUNKS, "--base-url", server.url, "--resume"], { cwd }));
    expectPromiseKept(report, phones, server);
  }, 30_000);

  it.each([
    [["send", "--json", "--nki", "42"], 2, "--from is required"],
    [["send", "--json", "--bogus"], 2, "Unknown option '--bogus'"],
    [["transmit", "--json"], 2, 'unknown command "transmit"'],
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

describe("Ctrl-C", () => {
  it("twice while a chunk hangs: exit 3 (unknown), and a resume holds that chunk back", async () => {
    const server = await countingIp1({ answer: (index) => (index === 1 ? "hang" : "accept") });
    const cwd = workDir();
    writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--concurrency", "1", "--base-url", server.url];
    const cli = await startCli(args, { cwd });
    await server.waitForRequests(2);
    expect(server.requests).toBe(2);
    process.kill(cli.pid, "SIGINT");
    // Two signals sent at once may arrive as one: the second waits until the first was handled.
    await cli.waitForOutput("Stopping:");
    process.kill(cli.pid, "SIGINT");
    expect((await cli.ended).code).toBe(3);

    const resumed = await runCli([...args, "--resume"], { cwd });
    expect(resumed.code).toBe(3);
    expect(server.requests).toBe(4);
    expect(server.twice()).toEqual([]);
  }, 30_000);
});
