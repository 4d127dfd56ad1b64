// A bulk send through the SQLite ledger to the HTTP simulator, run as its own process so the end-to-end test can
// kill -9 it mid-run. Arguments: the ledger's path, the simulator's URL, the number of recipients.
import { createIp1Client, openLedger } from "../../src/index.js";

const [ledgerPath = "", baseUrl = "", count = "80"] = process.argv.slice(2);
const ledger = await openLedger(ledgerPath, {});
const client = createIp1Client({ token: "e2e", env: {}, baseUrl, timeoutMs: 120_000 });
const users = Array.from({ length: Number(count) }, (_, index) => ({
  FirstName: `P${index}`,
  Phone: `+4670${String(1_000_000 + index).padStart(7, "0")}`,
}));
process.stdout.write("sending\n");
await client.sendNkiBulk(
  42,
  { Users: users, From: "Acme", Message: "Hur nöjd är du med besöket? Svara här: https://example.se/nki/42" },
  { ledger, chunkSize: 10, concurrency: 2, continueOnError: true },
);
await ledger.close();
process.stdout.write("finished\n");
