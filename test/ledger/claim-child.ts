// A second process for the race tests: opens the ledger named by argv[2], says "ready", waits for the file argv[3]
// to exist (the parent's start signal, so both processes claim at the same time), then claims phones 0..count-1 in
// batches of 10 (in reverse when argv[5] is "reverse") and prints the phones it won as JSON. With argv[5] "create",
// argv[2] is a comma-separated list of new ledgers, each opened (so made) only after the signal, then claimed.
import { existsSync } from "node:fs";
import { openLedger } from "../../src/ledger/open.js";

const [spec, go, countText, order] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);
const ledgers = order === "create" ? [] : [await openLedger(spec)];
process.stdout.write("ready\n");
while (!existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 2));
if (order === "create") {
  for (const each of spec.split(",")) ledgers.push(await openLedger(each));
}
const phones = Array.from({ length: count }, (_, i) => `+4670${String(i).padStart(7, "0")}`);
if (order === "reverse") phones.reverse();
const won: string[] = [];
for (let i = 0; i < phones.length; i += 10) {
  const batch = phones.slice(i, i + 10).map((phone) => ({
    target: "https://api.ip1sms.com",
    nki: 7,
    round: "race",
    phone,
    messageHash: "h",
    from: "Acme",
  }));
  for (const ledger of ledgers) {
    const { claimed } = await ledger.claim(batch);
    won.push(...claimed.map((claim) => `${ledger.location} ${claim.phone}`));
  }
}
for (const ledger of ledgers) await ledger.close();
process.stdout.write(`${JSON.stringify(won)}\n`);
