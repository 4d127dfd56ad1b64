// `ip1-nki settle` and `ip1-nki status` as commands: their help, usage errors naming the option, missing credentials
// refused before anything is read, and a text report on a ledger with a settled, an unknown and a delivered text.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIp1Client, openLedger } from "ip1-nki";
import { createIp1Mock, startIp1MockServer } from "ip1-nki/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-settle-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = { IP1_TOKEN: "t" }) {
  const out = { stdout: "", stderr: "" };
  const sink = (key: "stdout" | "stderr") => ({
    write: (text: string) => {
      out[key] += text;
      return true;
    },
  });
  const code = await run(argv, { stdout: sink("stdout"), stderr: sink("stderr"), env, cwd: dir } as never);
  return { code, ...out };
}

describe("help and usage", () => {
  it("prints each command's help, and lists both in the main help", async () => {
    expect((await cli(["settle", "--help"])).stdout).toMatch(/^Usage: ip1-nki settle/);
    expect((await cli(["status", "--help"])).stdout).toMatch(/--until DURATION/);
    expect((await cli(["--help"])).stdout).toMatch(/ip1-nki settle .*\n.*ip1-nki status/);
  });

  it("names the option at fault, and reads nothing without credentials", async () => {
    const window = await cli(["settle", "--window", "soon", "--ledger", join(dir, "a.sqlite")]);
    expect(window.code).toBe(2);
    expect(window.stderr).toContain('--window: give a duration such as 90s, 15m, 48h or 2d, not "soon"');
    const unknown = await cli(["status", "--every", "1m"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("see ip1-nki status --help");
    const noCredentials = await cli(["settle", "--ledger", join(dir, "b.sqlite")], {});
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain("Cannot read IP1's log");
  });
});

it("reports settled and unknown texts with the resend command, then delivery with counts", async () => {
  const mock = createIp1Mock();
  const server = await startIp1MockServer(mock);
  const ledgerPath = join(dir, "report.sqlite");
  try {
    const ledger = await openLedger(ledgerPath, {});
    const client = createIp1Client({ token: "t", env: {}, baseUrl: server.url });
    mock.once({ serverError: {} });
    const users = [{ FirstName: "Anna", LastName: "Berg", Phone: "+46701234567" }];
    await client.sendNkiBulk(42, { Users: users, From: "Acme", Message: "Hej" }, { ledger, round: "mars" });
    mock.once({ dropped: true });
    const dropped = [{ FirstName: "Erik", Phone: "+46731234568" }];
    await client.sendNkiBulk(42, { Users: dropped, From: "Acme", Message: "Hej" }, { ledger, round: "mars" });
    await ledger.close();

    const settle = await cli(["settle", "--ledger", ledgerPath, "--base-url", server.url]);
    expect(settle.code).toBe(3);
    expect(settle.stdout).toContain("Settled from IP1's log: 1 text(s).\n  +46701234567 Anna Berg: sent, IP1 ID");
    expect(settle.stdout).toMatch(
      /Still unknown: 1 text\(s\)\.\n {2}\+46731234568 Erik: not in IP1's log after 0 minutes/,
    );
    expect(settle.stdout).toContain(
      `ip1-nki send --ledger ${ledgerPath} --nki 42 --round mars --from Acme --message "$MESSAGE" --force --to +46731234568,Erik`,
    );

    mock.advance(60_000);
    const status = await cli(["status", "--ledger", ledgerPath, "--base-url", server.url, "--interval", "0"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^1 delivered, 0 failed, 0 pending \(1 poll\(s\); every text is final\)/);
    expect(status.stdout).toContain("Delivered: 1\n  +46701234567 Anna Berg: Status 22");
    expect(status.stderr).toContain("poll 1: 1 delivered, 0 failed, 0 pending");
  } finally {
    await server.close();
  }
});
