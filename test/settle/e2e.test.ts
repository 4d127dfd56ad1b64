// End to end: a bulk send to the HTTP simulator through the SQLite ledger, where some chunks are "sent, then 5xx",
// one is reset before IP1 sent anything, and one hangs until the process is killed with SIGKILL mid-run, ends with
// unknown and in-flight texts. `ip1-nki settle` turns every text the simulator truly sent into "sent" with the
// simulator's ID and leaves the others unknown (printing the --force command for them); after simulated time
// passes, `ip1-nki status` reaches delivered or failed for every sent text; and nobody is texted twice. A fixed
// trial, then seeded ones (E2E_TRIALS for more) whose scenarios and kill moment come from the seed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger, type TextEntry } from "ip1-nki";
import { createIp1Mock, type Ip1MockScenario, startIp1MockServer } from "ip1-nki/mock";
import { expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { seededRandom } from "../../src/mock/seeded-random.js";
import { bundled } from "../support/bundled.js";
import { killGroup, start, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

const phoneOf = (index: number) => `+4670${String(1_000_000 + index).padStart(7, "0")}`;
const TRIALS = Number(process.env.E2E_TRIALS ?? 3);

async function ledgerEntries(ledgerPath: string): Promise<TextEntry[]> {
  const ledger = await openLedger(ledgerPath, {});
  const entries: TextEntry[] = [];
  for await (const entry of ledger.list()) entries.push(entry);
  await ledger.close();
  return entries;
}

async function cli(argv: string[], cwd: string) {
  const out = { stdout: "", stderr: "" };
  const sink = (key: "stdout" | "stderr") => ({
    write: (text: string) => {
      out[key] += text;
      return true;
    },
  });
  const code = await run(argv, {
    stdout: sink("stdout"),
    stderr: sink("stderr"),
    env: { IP1_TOKEN: "e2e" },
    cwd,
  } as never);
  return { code, ...out };
}

/**
 * One trial: the sends before the hang get `scenarios` in arrival order, the next one hangs, and the child is killed
 * once it is in. Then settle and status through the CLI; every guarantee is asserted here.
 */
async function trial(scenarios: Ip1MockScenario[], failLater: Record<string, number>) {
  const mock = createIp1Mock({ delivery: { failLater } });
  const server = await startIp1MockServer(mock);
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-e2e-"));
  const ledgerPath = join(dir, "ledger.sqlite");
  try {
    for (const scenario of scenarios) mock.once(scenario);
    mock.once({ hang: true });
    const child = start(process.execPath, [await bundled("test/settle/bulk-child.ts"), ledgerPath, server.url, "80"]);
    try {
      await child.waitForOutput("sending");
      // The hung request is in: the run cannot finish now, and is killed mid-run.
      while (mock.requestCount <= scenarios.length) {
        const exited = await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 20, false))]);
        if (exited) throw new Error(`The bulk send ended before its hung request: ${child.stderr}`);
      }
    } finally {
      await killGroup(child.pid);
    }
    const finished = await child.exited;
    expect(finished.signal).toBe("SIGKILL");
    expect(child.stdout).not.toContain("finished");

    const before = await ledgerEntries(ledgerPath);
    const open = before.filter((entry) => entry.state === "unknown" || entry.state === "in-flight");
    const truly = (entry: TextEntry) => mock.ledger.sentTo(entry.phone).length > 0;

    const settled = await cli(
      ["settle", "--ledger", ledgerPath, "--base-url", server.url, "--include-recent", "--json"],
      dir,
    );
    const document = JSON.parse(settled.stdout) as { resend: string[]; stillUnknown: { phone: string }[] };
    const stillUnknown = open.filter((entry) => !truly(entry)).map((entry) => entry.phone);
    expect(settled.code, settled.stdout + settled.stderr).toBe(stillUnknown.length > 0 ? 3 : 0);
    const after = new Map((await ledgerEntries(ledgerPath)).map((entry) => [entry.phone, entry]));
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
    expect(document.stillUnknown.map((text) => text.phone).sort()).toEqual(stillUnknown.sort());
    expect(document.resend).toHaveLength(stillUnknown.length > 0 ? 1 : 0);
    for (const phone of stillUnknown) expect(document.resend[0]).toContain(`--to ${phone},`);

    // Simulated time: two minutes is past every status change of the delivery plan.
    expect((await fetch(`${server.url}/_mock/advance?ms=120000`, { method: "POST" })).status).toBe(200);
    const status = await cli(
      ["status", "--ledger", ledgerPath, "--base-url", server.url, "--interval", "0", "--json"],
      dir,
    );
    const report = JSON.parse(status.stdout) as Record<"delivered" | "failed" | "pending", { phone: string }[]>;
    const sentTexts = [...after.values()].filter((entry) => entry.state === "sent" || entry.state === "failed");
    expect(report.pending).toEqual([]);
    expect(report.delivered.length + report.failed.length).toBe(sentTexts.length);
    const failedPhones = sentTexts.filter((entry) => failLater[entry.phone]).map((entry) => entry.phone);
    expect(report.failed.map((text) => text.phone).sort()).toEqual(failedPhones.sort());

    const once = await fetch(`${server.url}/_mock/assert-texted-once`);
    expect(once.status, JSON.stringify(await once.clone().json())).toBe(200);
    return { open, stillUnknown, document };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

it("settles every truly sent unknown, follows all sent texts to a final status, and texts nobody twice", {
  timeout: WHOLE_TOOL_TIMEOUT_MS,
}, async () => {
  // Requests 2 and 4 are "sent, then 5xx", 5 is reset before anything is sent, 6 hangs; the rest are answered.
  const { open, stillUnknown, document } = await trial(
    [{}, { serverError: {} }, {}, { serverError: { status: 503 } }, { dropped: true }],
    { [phoneOf(2)]: 52, [phoneOf(13)]: 51 },
  );
  expect(open.length - stillUnknown.length).toBeGreaterThanOrEqual(30); // two 5xx chunks and the hung one
  expect(stillUnknown.length).toBeGreaterThanOrEqual(10); // the dropped chunk
  expect(document.resend[0]).toMatch(
    /^ip1-nki send --ledger \S+ --nki 42 --round default --from Acme --message "\$MESSAGE" --force/,
  );
});

it(`holds in ${TRIALS} seeded trials: scenarios and the kill moment drawn from the seed`, {
  timeout: WHOLE_TOOL_TIMEOUT_MS * Math.max(1, TRIALS / 3),
}, async () => {
  for (let seed = 1; seed <= TRIALS; seed++) {
    const random = seededRandom(seed * 7919);
    const choices: Ip1MockScenario[] = [{}, { serverError: {} }, { dropped: true }, { reset: true }];
    // The hang (the kill moment) comes after 1 to 7 of the 8 chunks.
    const before = 1 + Math.floor(random() * 7);
    const scenarios = Array.from({ length: before }, () => choices[Math.floor(random() * choices.length)] ?? {});
    const failLater = { [phoneOf(Math.floor(random() * 80))]: 52 };
    const { open } = await trial(scenarios, failLater);
    expect(open.length, `seed ${seed}`).toBeGreaterThanOrEqual(10); // the hung chunk at least
  }
});
