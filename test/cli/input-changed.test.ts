// A CSV edited while it is being sent: the second pass reads the file again as it sends, and sends a chunk only when
// it reads as the first pass validated it (each chunk's hash). Here the file is edited when the first request reaches
// the fake IP1, in a row the second pass has not read yet (reading waits while a window is sent, and reads ahead at
// most a few 64 KiB blocks): the edited row, and everyone after the last whole window already sent, is never texted.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  answerFor,
  credentials,
  ledgerEntries,
  phoneOf,
  runCli,
  send,
  serve,
  workDir,
  writeUsersCsv,
} from "./support.js";

const COUNT = 3600; // about 590 KB, with rows made long (see longRows)
const EDITED = 3200; // 525 KB in: beyond what the second pass reads ahead of the first request

/** Each row's Extra 100 characters longer: the edit lies as far into the file with fewer rows to send. */
const longRows = (text: string) => text.replaceAll(",kund ", `,kund ${"x".repeat(100)} `);

/** `070…` for `+4670…`: the phones as a Swedish sheet writes them (sent with --default-country SE). */
const national = (phone: string) => `0${phone.slice(3)}`;

describe("a CSV edited while it is sent", () => {
  it.each([
    ["its phone is no longer a number", (row: string) => row.replace(phoneOf(EDITED), "+46 not a phone"), false],
    ["it names another person", (row: string) => row.replace(phoneOf(EDITED), phoneOf(COUNT + 1)), false],
    ["the same person's name is changed", (row: string) => row.replace(`Namn${EDITED},`, "Someone Else,"), false],
    // The second pass sends the phone the first pass normalized: the phone as written must still read the same.
    [
      "its phone, written nationally, names another person",
      (row: string) => row.replace(national(phoneOf(EDITED)), national(phoneOf(COUNT + 1))),
      true,
    ],
  ])("%s: nobody from the edited row's window on is texted, nobody twice", async (_edit, edit, nationally) => {
    const cwd = workDir();
    const file = writeUsersCsv(cwd, COUNT);
    const long = longRows(readFileSync(file, "utf8"));
    writeFileSync(file, nationally ? long.replaceAll(/\+46(70\d{7})/g, "0$1") : long);
    let edited = false;
    const server = await serve({
      answerWith: (request) => {
        if (!edited) {
          edited = true;
          const lines = readFileSync(file, "utf8").split("\r\n");
          lines[EDITED + 1] = edit(lines[EDITED + 1] as string);
          writeFileSync(file, lines.join("\r\n"));
        }
        const phones = (JSON.parse(request.body ?? "{}") as { Users: { Phone: string }[] }).Users.map((u) => u.Phone);
        return { answer: 200, body: answerFor(phones) };
      },
    });
    const result = await runCli(
      [
        ...send,
        "--users",
        "users.csv",
        "--chunk-size",
        "100",
        "--concurrency",
        "1",
        "--json",
        "--default-country",
        "SE",
      ],
      { env: { ...credentials, IP1_BASE_URL: server.url }, cwd },
    );

    expect(edited).toBe(true);
    expect([...server.receipts.values()].every((times) => times === 1)).toBe(true);
    const texted = [...server.receipts.keys()];
    const lastTexted = Math.max(...texted.map((phone) => Number(phone.slice(-7))));
    // Windows are 200 (chunk size × concurrency × 2): whole windows before the edited row's were sent, in order.
    expect(texted).toHaveLength(lastTexted + 1);
    expect(texted.length % 200).toBe(0);
    expect(lastTexted).toBeLessThan(EDITED - (EDITED % 200));
    expect(server.receipts.has(phoneOf(COUNT + 1))).toBe(false);
    const report = JSON.parse(result.stdout) as { ok: boolean; notes: string[]; recipients: Record<string, number> };
    expect(report.ok).toBe(false);
    expect(report.recipients.sent).toBe(texted.length);
    expect(report.notes.join("\n")).toMatch(/users\.csv changed after it was checked .*run the same command again/);
    // The ledger holds exactly those texted, as sent: a rerun of the edited file sends the rest once.
    const entries = await ledgerEntries(join(cwd, ".state", "ip1-nki", "ledger.sqlite"));
    expect(entries.map((entry) => entry.phone).sort()).toEqual(texted.sort());
  });
});
