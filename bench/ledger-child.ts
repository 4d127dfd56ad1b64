// One send for the ledger's throughput figure, in a fresh process: sendNkiBulk of N recipients to the loopback
// simulator at argv[2], through the ledger argv[4] ("none", an SQLite path, or a postgres:// URL). Prints JSON.
import { createIp1Client } from "../src/client.js";
import { openLedger } from "../src/ledger/open.js";

const [baseUrl, countText, ledgerSpec] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const Users = Array.from({ length: count }, (_, i) => ({
  FirstName: `P${i}`,
  Phone: `+4670${String(i).padStart(7, "0")}`,
}));
const ledger = ledgerSpec === "none" ? undefined : await openLedger(ledgerSpec);
const client = createIp1Client({ token: "bench", baseUrl, env: {} });
const started = performance.now();
const result = await client.sendNkiBulk(
  42,
  { From: "Acme", Message: "Hur nöjd är du?", Users },
  { ledger, round: ledger ? "bench" : undefined, keepMessages: false },
);
const ms = performance.now() - started;
await ledger?.close();
export interface LedgerChildResult {
  ms: number;
  sent: number;
}
process.stdout.write(JSON.stringify({ ms, sent: result.recipients.sent } satisfies LedgerChildResult));
