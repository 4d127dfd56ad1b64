// One worker of the many-workers attack: the LIBRARY (not the CLI) sending a list through the PostgreSQL ledger, as a
// backend's job would. argv: ledger URL, base URL, the list (a JSON file of phones), round. Prints one line per chunk
// ("chunk <index> <outcome>"), then "done <json counts>".
import { readFileSync } from "node:fs";
import { createIp1Client } from "../../src/client.js";
import { openLedger } from "../../src/ledger/open.js";

const [ledgerUrl, baseUrl, listFile, round] = process.argv.slice(2) as [string, string, string, string];
const phones = JSON.parse(readFileSync(listFile, "utf8")) as string[];
const ledger = await openLedger(ledgerUrl);
const client = createIp1Client({ account: "ip1-12345", apiKey: "many-workers-SECRET", baseUrl, env: {} });
const result = await client.sendNkiBulk(
  42,
  {
    From: "Acme",
    Message: "Hur nöjd är du?",
    Users: phones.map((Phone, i) => ({ FirstName: `P${i}`, Phone })),
  },
  {
    ledger,
    round,
    chunkSize: 100,
    concurrency: 2,
    continueOnError: true,
    keepMessages: false,
    onProgress: ({ chunk }) => process.stdout.write(`chunk ${chunk.index} ${chunk.outcome}\n`),
  },
);
await ledger.close();
process.stdout.write(`done ${JSON.stringify(result.recipients)}\n`);
