// One run of the library's ledger figure: sendNkiBulk of argv[3] recipients to argv[2], through the ledger argv[4]
// ("none", an SQLite path or a postgres:// URL). Prints {"ms"} for the send alone and the process's peak RSS in MB.
import { createIp1Client, openLedger } from "../src/index.js";

const [baseUrl, count, spec] = process.argv.slice(2) as [string, string, string];
const Users = Array.from({ length: Number(count) }, (_, i) => ({
  FirstName: "P",
  Phone: `+4670${String(i).padStart(7, "0")}`,
}));
const ledger = spec === "none" ? undefined : await openLedger(spec);
const started = performance.now();
const result = await createIp1Client({ token: "bench", baseUrl, env: {} }).sendNkiBulk(
  42,
  { From: "Acme", Message: "Hur nöjd är du?", Users },
  { ledger, keepMessages: false },
);
if (result.recipients.sent !== Users.length) throw new Error(`${result.recipients.sent} of ${count} sent`);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
await ledger?.close();
