// End to end: a bulk send to the HTTP simulator through the SQLite ledger, where two chunks are "sent, then 5xx",
// one is reset before IP1 sent anything, and one hangs until the process is killed with SIGKILL mid-run, ends with
// unknown and in-flight texts. `ip1-nki settle` turns every text the simulator truly sent into "sent" with the
// simulator's ID and leaves the others unknown (printing the --force command for them); after simulated time
// passes, `ip1-nki status` reaches delivered or failed for every sent text; and nobody is texted twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger, type TextEntry } from "ip1-nki";
import { createIp1Mock, type Ip1MockServer, startIp1MockServer } from "ip1-nki/mock";
import { afterAll, beforeAll, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { killGroup, start, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

const phoneOf = (index: number) => `+4670${String(1_000_000 + index).padStart(7, "0")}`;
const mock = createIp1Mock({ delivery: { failLater: { [phoneOf(2)]: 52, [phoneOf(13)]: 51 } } });
let server: Ip1MockServer;
let dir: string;
let ledgerPath: string;

beforeAll(async () => {
  server = await startIp1MockServer(mock);
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-e2e-"));
  ledgerPath = join(dir, "ledger.sqlite");
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ledgerEntries(): Promise<TextEntry[]> {
  const ledger = await openLedger(ledgerPath, {});
  const entries: TextEntry[] = [];
  for await (const entry of ledger.list()) entries.push(entry);
  await ledger.close();
  return entries;
}

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: {
      write: (text: string) => {
        stdout += text;
        return true;
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
        return true;
      },
    },
    env: { IP1_TOKEN: "e2e" },
    cwd: dir,
  } as never);
  return { code, stdout, stderr };
}

it("settles every truly sent unknown, follows all sent texts to a final status, and texts nobody twice", {
  timeout: WHOLE_TOOL_TIMEOUT_MS,
}, async () => {
  // Requests 2 and 4 are "sent, then 5xx", 5 is reset before anything is sent, 6 hangs; the rest are answered.
  for (const scenario of [{}, { serverError: {} }, {}, { serverError: { status: 503 } }, { dropped: true }]) {
    mock.once(scenario);
  }
  mock.once({ hang: true });
  const child = start(process.execPath, ["--import", "tsx", "test/settle/bulk-child.ts", ledgerPath, server.url, "80"]);
  try {
    await child.waitForOutput("sending");
    // The hung request is in: the run cannot finish now, and is killed mid-run.
    while (mock.requestCount < 6) {
      const exited = await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 20, false))]);
      if (exited) throw new Error(`The bulk send ended before its hung request: ${child.stderr}`);
    }
  } finally {
    await killGroup(child.pid);
  }
  const finished = await child.exited;
  expect(finished.signal).toBe("SIGKILL");
  expect(child.stdout).not.toContain("finished");

  const before = await ledgerEntries();
  const open = before.filter((entry) => entry.state === "unknown" || entry.state === "in-flight");
  const truly = (entry: TextEntry) => mock.ledger.sentTo(entry.phone).length > 0;
  expect(open.filter(truly).length).toBeGreaterThanOrEqual(30); // two 5xx chunks and the hung one
  expect(open.filter((entry) => !truly(entry)).length).toBeGreaterThanOrEqual(10); // the dropped chunk

  const settled = await cli(["settle", "--ledger", ledgerPath, "--base-url", server.url, "--include-recent", "--json"]);
  expect(settled.code, settled.stdout + settled.stderr).toBe(3);
  const document = JSON.parse(settled.stdout) as { resend: string[]; stillUnknown: { phone: string }[] };
  const after = new Map((await ledgerEntries()).map((entry) => [entry.phone, entry]));
  for (const entry of open) {
    const now = after.get(entry.phone);
    const [sms] = mock.ledger.sentTo(entry.phone);
    if (sms) {
      expect(now?.state, entry.phone).toBe("sent");
      expect(now?.ip1?.id, entry.phone).toBe(String(sms.id));
    } else {
      expect(now?.state, entry.phone).toBe("unknown");
      expect(now?.note, entry.phone).toMatch(/^not in IP1's log after \d+ minutes/);
    }
  }
  const stillUnknown = open.filter((entry) => !truly(entry)).map((entry) => entry.phone);
  expect(document.stillUnknown.map((text) => text.phone).sort()).toEqual(stillUnknown.sort());
  expect(document.resend).toHaveLength(1);
  expect(document.resend[0]).toMatch(
    /^ip1-nki send --ledger \S+ --nki 42 --round default --from Acme --message "\$MESSAGE" --force/,
  );
  for (const phone of stillUnknown) expect(document.resend[0]).toContain(`--to ${phone},`);

  // Simulated time: two minutes is past every status change of the delivery plan.
  const advanced = await fetch(`${server.url}/_mock/advance?ms=120000`, { method: "POST" });
  expect(advanced.status).toBe(200);
  const status = await cli(["status", "--ledger", ledgerPath, "--base-url", server.url, "--interval", "0", "--json"]);
  const report = JSON.parse(status.stdout) as Record<"delivered" | "failed" | "pending", { phone: string }[]>;
  const sentTexts = [...after.values()].filter((entry) => entry.state === "sent" || entry.state === "failed");
  expect(report.pending).toEqual([]);
  expect(report.delivered.length + report.failed.length).toBe(sentTexts.length);
  expect(report.failed.map((text) => text.phone).sort()).toEqual([phoneOf(13), phoneOf(2)].sort());
  expect(status.code).toBe(1);
  expect(mock.ledger.entries.length).toBeGreaterThanOrEqual(sentTexts.length);

  const once = await fetch(`${server.url}/_mock/assert-texted-once`);
  expect(once.status, JSON.stringify(await once.clone().json())).toBe(200);
});
