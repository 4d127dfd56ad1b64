// End to end through the bin alone: `ip1-nki send` (the ledger CLI) to the HTTP simulator with four requests in
// flight, two of them "sent, then 5xx", one reset before anything was sent and one hung, killed with SIGKILL mid-run;
// then `ip1-nki settle` settles the truly sent from the simulator's log and prints the --force command for the rest,
// which, run as printed, texts exactly those people once; `ip1-nki status` then reaches a final status for every
// text; and the simulator's count per phone says nobody was texted twice.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger, type TextEntry } from "ip1-nki";
import { createIp1Mock, startIp1MockServer } from "ip1-nki/mock";
import { expect, it } from "vitest";
import { bundled } from "../support/bundled.js";
import { killGroup, run, start, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

const MESSAGE = "Hur nöjd är du med besöket? Svara här: https://example.se/nki/42";
const phoneOf = (index: number) => `+4670${String(1_000_000 + index).padStart(7, "0")}`;

it("send killed mid-run, settle, the printed resend, status: everyone texted exactly once", {
  timeout: WHOLE_TOOL_TIMEOUT_MS * 2,
}, async () => {
  // The bin as `npm run build` bundles it.
  const bin = [process.execPath, await bundled("src/cli/main.ts")] as const;
  const mock = createIp1Mock({ delivery: { failLater: { [phoneOf(1)]: 52 } } });
  const server = await startIp1MockServer(mock);
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-e2e-cli-"));
  const ledgerPath = join(dir, "ledger.sqlite");
  const env = { ...process.env, IP1_TOKEN: "e2e", IP1_BASE_URL: server.url, IP1_NKI_LEDGER: ledgerPath };
  const cli = (...args: string[]) => run(bin[0], [...bin.slice(1), ...args], { env });
  try {
    const users = join(dir, "users.csv");
    writeFileSync(
      users,
      `Phone,FirstName\n${Array.from({ length: 60 }, (_, i) => `${phoneOf(i)},P${i}`).join("\n")}\n`,
    );
    for (const scenario of [{ hang: true }, { serverError: {} }, { serverError: { status: 503 } }, { dropped: true }]) {
      mock.once(scenario);
    }
    const send = ["send", "--nki", "42", "--from", "Acme", "--message", MESSAGE, "--users", users];
    const child = start(bin[0], [...bin.slice(1), ...send, "--chunk-size", "10", "--concurrency", "4"], { env });
    try {
      while (mock.requestCount < 4) {
        const exited = await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 20, false))]);
        if (exited) throw new Error(`The send ended before its four requests were in: ${child.stdout}${child.stderr}`);
      }
    } finally {
      await killGroup(child.pid);
    }
    expect((await child.exited).signal).toBe("SIGKILL");

    const settled = await cli("settle", "--include-recent", "--json");
    const document = JSON.parse(settled.stdout) as { resend: string[]; stillUnknown: { phone: string }[] };
    expect(settled.code, settled.stderr).toBe(3);
    // Four chunks of ten went out: the hung one and the two 5xx were sent, the dropped one was not.
    expect(mock.ledger.entries).toHaveLength(30);
    const dropped = document.stillUnknown.map((text) => text.phone);
    expect(dropped).toHaveLength(10);
    const ledger = await openLedger(ledgerPath, {});
    const entries: TextEntry[] = [];
    for await (const entry of ledger.list()) entries.push(entry);
    await ledger.close();
    for (const entry of entries) {
      const [sms] = mock.ledger.sentTo(entry.phone);
      if (sms) expect([entry.phone, entry.state, entry.ip1?.id]).toEqual([entry.phone, "sent", String(sms.id)]);
      else expect([entry.phone, entry.state]).toEqual([entry.phone, "unknown"]);
    }

    // The operator's choice: the command exactly as printed, with MESSAGE set.
    expect(document.resend).toHaveLength(1);
    const command = (document.resend[0] as string).replace(/^ip1-nki /, `${bin.join(" ")} `);
    const resent = await run("sh", ["-c", command], { env: { ...env, MESSAGE } });
    expect(resent.code, resent.stdout + resent.stderr).toBe(0);
    for (const phone of dropped) expect(mock.ledger.sentTo(phone), phone).toHaveLength(1);

    expect((await fetch(`${server.url}/_mock/advance?ms=120000`, { method: "POST" })).status).toBe(200);
    const status = await cli("status", "--interval", "0", "--json");
    const report = JSON.parse(status.stdout) as Record<"delivered" | "failed" | "pending", { phone: string }[]>;
    expect(report.pending).toEqual([]);
    expect(report.delivered.length + report.failed.length).toBe(40);
    expect(report.failed.map((text) => text.phone)).toEqual([phoneOf(1)]);
    mock.assertTextedOnce();
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
