// `ip1-nki ledger`: list by state as text, CSV and JSON; settle an unknown text by hand with a note; import a 0.2.0
// journal (with the CSV it sent) so that the next send refuses whoever the journal says was texted or may have been.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SendOptions } from "../../src/cli/args.js";
import { scanRecipients } from "../../src/cli/recipients.js";
import { accepted, answerFor, dirWithUsers, ledgerEntries, phoneOf, runCli, sendInTens, serve } from "./support.js";

const ok = (from: number) => ({
  answer: 200,
  body: answerFor(Array.from({ length: 10 }, (_, i) => phoneOf(from + i))),
});

/** 30 recipients: chunk 0 sent, chunk 1 unknown (503), chunk 2 never sent. */
async function ledgerWithStates() {
  const server = await serve([ok(0), { answer: 503, body: "busy" }, accepted]);
  const cwd = dirWithUsers(30);
  const result = await sendInTens({ cwd, url: server.url }, "--ledger", "l.sqlite");
  expect(result.code).toBe(3);
  return { cwd, server, target: `http://127.0.0.1:${new URL(server.url).port}` };
}

describe("ip1-nki ledger", () => {
  it("lists texts by state as text, CSV (formula-safe) and JSON", async () => {
    const { cwd } = await ledgerWithStates();
    const text = await runCli(["ledger", "--ledger", "l.sqlite", "--state", "unknown"], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("unknown: 10\n");
    expect(text.stdout).toContain(`${phoneOf(10)} (Namn10 Efternamn, 10, line 12): unknown, NKI 42, round "default"`);
    const csv = await runCli(["ledger", "list", "--ledger", "l.sqlite", "--format", "csv"], { cwd });
    const rows = csv.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe(
      "state,phone,name,line,target,nki,round,ip1Id,ip1BundleId,ip1Status,attempts,claimedAt,updatedAt,error,note",
    );
    expect(rows).toHaveLength(21);
    expect(rows[1]).toMatch(new RegExp(`^sent,\\${phoneOf(0)},"Namn0 Efternamn, 0",2,`));
    const json = await runCli(["ledger", "--ledger", "l.sqlite", "--json"], { cwd });
    const document = JSON.parse(json.stdout);
    expect(document.counts).toEqual({ sent: 10, unknown: 10, failed: 0, refused: 0, "in-flight": 0 });
    expect(document.texts[0]).toMatchObject({ phone: phoneOf(0), state: "sent", line: 2 });
  });

  it("settle marks an unknown text sent or failed with a note; a failed one is sent by the next run", async () => {
    const { cwd, server, target } = await ledgerWithStates();
    const settle = (phone: string, state: string) =>
      runCli(["ledger", "settle", "--ledger", "l.sqlite", "--phone", phone, "--state", state, "--note", "portal"], {
        cwd,
      });
    expect((await settle(phoneOf(10), "sent")).code).toBe(0);
    const failed = await settle(phoneOf(11), "failed");
    expect(failed.stdout).toContain(`Settled ${phoneOf(11)}`);
    // Only unknown or in-flight texts are settled by hand.
    const sentAlready = await settle(phoneOf(0), "failed");
    expect(sentAlready.code).toBe(2);
    expect(sentAlready.stderr).toContain("holds no text to");
    const entries = await ledgerEntries(join(cwd, "l.sqlite"));
    expect(entries.find((entry) => entry.phone === phoneOf(10))).toMatchObject({
      state: "sent",
      note: "settled by hand as sent: portal",
      target,
    });
    // The next run texts the one settled as failed and the 10 never sent, nobody else.
    const before = server.requests.length;
    const rerun = await sendInTens({ cwd, url: server.url }, "--ledger", "l.sqlite", "--json");
    const sentNow = server.requests.slice(before).flatMap((request) => JSON.parse(request.body ?? "{}").Users);
    expect(sentNow.map((user: { Phone: string }) => user.Phone).sort()).toEqual(
      [phoneOf(11), ...Array.from({ length: 10 }, (_, i) => phoneOf(20 + i))].sort(),
    );
    expect(JSON.parse(rerun.stdout).held).toEqual({ sent: 11, unknown: 8 });
    expect(rerun.code).toBe(3); // 8 are still unknown
  });

  it("imports a 0.2.0 journal with the CSV it sent: the next send refuses who it texted or may have", async () => {
    const cwd = dirWithUsers(30);
    const options = { users: "users.csv", to: [], chunkSize: 10 } as unknown as SendOptions;
    const { recipientsSha256 } = await scanRecipients(options, cwd);
    const server = await serve([ok(20)]);
    const origin = `http://localhost:${new URL(server.url).port}`;
    const lines = [
      {
        type: "job",
        version: 2,
        id: "x",
        nki: 42,
        from: "Acme",
        messageSha256: "0".repeat(64),
        email: false,
        recipientsSha256,
        recipients: 30,
        chunkSize: 10,
        target: { mock: false, origin },
        input: "users.csv",
        chunks: 3,
        createdAt: "2026-01-01T00:00:00Z",
      },
      { type: "run", mode: "new", force: false, send: [[0, 2]], pid: 1, url: origin, at: "2026-01-01T00:00:00Z" },
      { type: "attempt", chunk: 0, first: 0, count: 10, at: "2026-01-01T00:00:00Z" },
      {
        type: "chunk",
        chunk: 0,
        first: 0,
        count: 10,
        outcome: "sent",
        failedRecipients: [{ to: phoneOf(3).slice(1), status: 51, description: "failed" }],
        at: "2026-01-01T00:00:00Z",
      },
      { type: "attempt", chunk: 1, first: 10, count: 10, at: "2026-01-01T00:00:00Z" },
    ];
    writeFileSync(join(cwd, "job.jsonl"), `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    const imported = await runCli(["ledger", "import", "job.jsonl", "--users", "users.csv", "--ledger", "l.sqlite"], {
      cwd,
    });
    expect(imported.stdout).toContain("Imported 20 recipients");
    expect(imported.stdout).toContain("9 sent, 1 failed, 10 unknown");
    expect(imported.stdout).toContain("10 were never attempted");
    // A changed CSV is not the journal's job: nothing imported.
    writeUsersChanged(cwd);
    const wrong = await runCli(["ledger", "import", "job.jsonl", "--users", "other.csv", "--ledger", "l.sqlite"], {
      cwd,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("not the ones the journal's send had");
    // The next send (to 127.0.0.1, the same target as the journal's localhost) texts only the failed one and chunk 2.
    const rerun = await sendInTens({ cwd, url: server.url }, "--ledger", "l.sqlite", "--json");
    const sentNow = server.requests.flatMap((request) => JSON.parse(request.body ?? "{}").Users);
    expect(sentNow.map((user: { Phone: string }) => user.Phone).sort()).toEqual(
      [phoneOf(3), ...Array.from({ length: 10 }, (_, i) => phoneOf(20 + i))].sort(),
    );
    expect(JSON.parse(rerun.stdout).held).toEqual({ sent: 9, unknown: 10 });
    expect(rerun.code).toBe(3);
  });
});

function writeUsersChanged(cwd: string) {
  writeFileSync(join(cwd, "other.csv"), `FirstName,Phone\nX,${phoneOf(0)}\n`);
}
