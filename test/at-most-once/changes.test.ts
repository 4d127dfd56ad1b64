// A crash (kill -9 with a chunk on the wire), then the same job run again with one harmless change, as operators do:
// --chunk-size changed, localhost for 127.0.0.1, a typo fixed in a row, another working directory, --email, the sheet
// sorted, options forgotten, 0.2.0's --resume. The ledger knows people, not jobs: each rerun texts only those never
// sent, holds the chunk that was in flight, and says so; following its advice (check, then `ledger settle`) ends
// with everyone sent once. All runs use the default ledger (this file's XDG_STATE_HOME).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

const FIRST = ["--chunk-size", "5", "--concurrency", "1"];

/** 30 recipients; chunk 0 answered, chunk 1 on the wire (never answered) when the run is killed -9. */
async function crashed() {
  const server = await countingIp1([accept, { hang: true }, accept]);
  const cwd = workDir();
  const phones = writeUsers(cwd, 30);
  const first = await startCli([...send, ...FIRST, "--base-url", server.url], { cwd });
  await server.waitForRequests(2);
  first.kill9();
  await first.ended;
  return { server, cwd, phones };
}

type Change = (cwd: string, url: string) => { args: string[]; cwd: string };

const changes: [string, Change][] = [
  ["--chunk-size changed", (cwd, url) => ({ cwd, args: [...send, "--chunk-size", "7", "--base-url", url] })],
  [
    "localhost for 127.0.0.1",
    (cwd, url) => ({ cwd, args: [...send, ...FIRST, "--base-url", url.replace("127.0.0.1", "localhost")] }),
  ],
  [
    "a typo fixed in a row",
    (cwd, url) => {
      const path = join(cwd, "users.csv");
      writeFileSync(path, readFileSync(path, "utf8").replace("N17,", "Nils,"));
      return { cwd, args: [...send, ...FIRST, "--base-url", url] };
    },
  ],
  [
    "another working directory",
    (cwd, url) => {
      const other = join(cwd, "other");
      mkdirSync(other);
      writeFileSync(join(other, "users.csv"), readFileSync(join(cwd, "users.csv")));
      return { cwd: other, args: [...send, ...FIRST, "--base-url", url] };
    },
  ],
  ["--email added", (cwd, url) => ({ cwd, args: [...send, ...FIRST, "--email", "--base-url", url] })],
  [
    "the sheet sorted",
    (cwd, url) => {
      const path = join(cwd, "users.csv");
      const [header, ...rows] = readFileSync(path, "utf8").trimEnd().split("\n");
      writeFileSync(path, `${[header, ...rows.reverse()].join("\n")}\n`);
      return { cwd, args: [...send, ...FIRST, "--base-url", url] };
    },
  ],
  ["options forgotten", (cwd, url) => ({ cwd, args: [...send, "--base-url", url] })],
  ["0.2.0's --resume", (cwd, url) => ({ cwd, args: [...send, ...FIRST, "--resume", "--base-url", url] })],
];

describe("a small change after a crash", () => {
  it.each(changes)(
    "%s: the chunk in flight is held, the rest sent once",
    async (_, change) => {
      const { server, cwd, phones } = await crashed();
      const { args, cwd: where } = change(cwd, server.url);
      const rerun = await runCli(args, { cwd: where });
      const report = documentOf(rerun);
      expect(maxReceipts(server)).toBe(1);
      expectPromiseKept(report, phones, server);
      expect(report.recipients.sent).toBe(20);
      expect(report.held).toEqual({ sent: 5, "in-flight": 5 });
      expect(rerun.code).toBe(3);
      expect(server.receipts.size).toBe(30);
    },
    30_000,
  );

  it("following the report's advice: check, settle by hand, run again: everyone once, the last run texts nobody (exit 2)", async () => {
    const { server, cwd, phones } = await crashed();
    const args = [...send, ...FIRST, "--base-url", server.url];
    const rerun = await runCli(
      args.filter((arg) => arg !== "--json"),
      { cwd },
    );
    expect(rerun.code).toBe(3);
    // The advice names the settle command; it never advises a plain run that would text a held person.
    const advice = /ip1-nki ledger settle --ledger (\S+) --target (\S+) --nki 42 --round "default"/.exec(rerun.stdout);
    expect(advice).not.toBeNull();
    const [, ledger, target] = advice as unknown as [string, string, string];
    expect(rerun.stdout).toContain("no run texts them again unless you add --force");
    const inFlight = phones.slice(5, 10);
    for (const phone of inFlight) {
      // What an operator finds in IP1's portal: these went out.
      const settled = await runCli(
        ["ledger", "settle", "--ledger", ledger, "--target", target, "--nki", "42", "--round", "default"].concat([
          "--phone",
          phone,
          "--state",
          "sent",
          "--note",
          "delivered, per IP1's portal",
        ]),
        { cwd },
      );
      expect(settled.code, settled.stderr).toBe(0);
    }
    const last = await runCli(args, { cwd });
    expect(last.code).toBe(2); // everyone held as sent: this run texts nobody
    const report = documentOf(last);
    expect(report.held).toEqual({ sent: 30 });
    expectPromiseKept(report, phones, server);
    expect(maxReceipts(server)).toBe(1);
  }, 30_000);
});
