// Two processes at once on one job: two new runs, a resume beside a running send, two resumes after a crash, two
// --force resumes. The lock lets exactly one of them send; the other refuses with exit 2, naming the holder's PID.
import { describe, expect, it } from "vitest";
import type { CountingIp1 } from "./counting-ip1.js";
import { countingIp1, documentOf, expectPromiseKept, send, startCli, workDir, writeUsers } from "./harness.js";

const CHUNKS = ["--chunk-size", "5", "--concurrency", "1"];

/** A send of 40 recipients (8 chunks) killed -9 once `requests` requests reached the server. */
async function crashedRun(server: CountingIp1, requests: number) {
  const cwd = workDir();
  const phones = writeUsers(cwd, 40);
  const args = [...send, ...CHUNKS, "--base-url", server.url];
  const first = await startCli(args, { cwd });
  await server.waitForRequests(requests);
  first.kill9();
  await first.ended;
  return { cwd, phones, args };
}

describe("two processes on one job", () => {
  it("two new runs of the same command: one sends, the other refuses (locked, or the job's journal exists)", async () => {
    const server = await countingIp1({ delayMs: () => 20 });
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--base-url", server.url];
    const [a, b] = await Promise.all([startCli(args, { cwd }), startCli(args, { cwd })]);
    const ended = await Promise.all([a.ended, b.ended]);
    const codes = ended.map((end) => end.code).sort();
    expect(codes).toEqual([0, 2]);
    const refused = documentOf(ended.find((end) => end.code === 2) as (typeof ended)[number]);
    expect(refused.error).toMatch(/locked by PID \d+, running since|has a journal already/);
    expectPromiseKept(documentOf(ended.find((end) => end.code === 0) as (typeof ended)[number]), phones, server);
    expect(server.receipts.size).toBe(40);
  }, 30_000);

  it("a --resume while the first run still sends is refused, naming the holder's PID; the first run finishes", async () => {
    const server = await countingIp1({ delayMs: () => 60 });
    const cwd = workDir();
    const phones = writeUsers(cwd, 40);
    const args = [...send, ...CHUNKS, "--base-url", server.url];
    const first = await startCli(args, { cwd });
    await server.waitForRequests(1);
    const second = await (await startCli([...args, "--resume"], { cwd })).ended;
    expect(second.code).toBe(2);
    expect(documentOf(second).error).toContain(`locked by PID ${first.pid}, running since`);
    const done = await first.ended;
    expect(done.code).toBe(0);
    expectPromiseKept(documentOf(done), phones, server);
  }, 30_000);

  it("two --resume after a crash, started together: the dead holder's lock is taken over once; nobody twice", async () => {
    const server = await countingIp1({ delayMs: () => 30 });
    const { cwd, phones, args } = await crashedRun(server, 3);
    const [a, b] = await Promise.all([
      startCli([...args, "--resume"], { cwd }),
      startCli([...args, "--resume"], { cwd }),
    ]);
    const ended = await Promise.all([a.ended, b.ended]);
    // Usually they overlap and one is refused by the lock; on a loaded machine one may finish before the other
    // starts, and then the later one finds nothing left to send. Either way the chunk in flight stays unknown.
    const codes = ended.map((end) => end.code).sort();
    expect([
      [2, 3],
      [3, 3],
    ]).toContainEqual(codes);
    const winner = ended.find((end) => end.code === 3);
    const loser = ended.find((end) => end !== winner);
    if (loser?.code === 2) expect(documentOf(loser).error).toMatch(/locked by PID \d+|taking over the lock/);
    expectPromiseKept(documentOf(winner as (typeof ended)[number]), phones, server);
  }, 30_000);

  it("two --resume --force after a crash: only the unknown chunk, named by --force, can reach IP1 twice", async () => {
    const server = await countingIp1({ delayMs: () => 30 });
    const { cwd, phones, args } = await crashedRun(server, 3);
    const forced = [...args, "--resume", "--force"];
    const [a, b] = await Promise.all([startCli(forced, { cwd }), startCli(forced, { cwd })]);
    const ended = await Promise.all([a.ended, b.ended]);
    // [0, 0] when one finished before the other started: the later one found nothing left to send.
    expect([
      [0, 2],
      [0, 0],
    ]).toContainEqual(ended.map((end) => end.code).sort());
    const report = documentOf(ended.find((end) => end.code === 0) as (typeof ended)[number]);
    // The journal held exactly one unknown chunk (the one in flight at the kill); --force resent it once.
    const twice = server.twice();
    expect(twice.length).toBeLessThanOrEqual(5);
    const chunkOf = (phone: string) => Math.floor(phones.indexOf(phone) / 5);
    expect(new Set(twice.map(chunkOf)).size).toBeLessThanOrEqual(1);
    expectPromiseKept(report, phones, server, (phone) => (twice.includes(phone) ? 2 : 1));
  }, 30_000);
});
