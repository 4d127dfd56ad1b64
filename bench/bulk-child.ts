// One bulk send in a fresh process, so its peak RSS and time are this send's alone. Prints one JSON line (a
// BulkChildResult). Used by bench/bulk.ts and bench/ledger.ts.
// Usage: node --import tsx bench/bulk-child.ts <baseUrl> <recipients> [--input-only | --lean | --ledger SPEC]
// --input-only builds the recipients and exits: the memory a caller spends on its own list, before any client.
// --lean sends with keepMessages: false, so the result holds no per-recipient records.
// --ledger SPEC sends lean through the ledger SPEC (an SQLite path or a postgres:// URL).
import { createIp1Client, openLedger } from "../src/index.js";
import type { NkiUser } from "../src/types-entry.js";

export interface BulkChildResult {
  recipients: number;
  /** HTTP requests made (counted by the injected fetch). */
  requests: number;
  /** sendNkiBulk's own duration, process start-up excluded; 0 with --input-only. */
  ms: number;
  /** Chunks whose outcome was not "sent" (0 when every request got a 200). */
  unsentChunks: number;
  /** process.resourceUsage().maxRSS: the process's peak resident memory, in MB. */
  peakRssMb: number;
}

const [baseUrl = "", count = "0", mode, ledgerSpec] = process.argv.slice(2);
const recipients = Number(count);
const users: NkiUser[] = Array.from({ length: recipients }, (_, i) => ({
  FirstName: `Recipient${i}`,
  Phone: `+4670${String(i).padStart(7, "0")}`,
}));
let requests = 0;
let ms = 0;
let unsentChunks = 0;
if (mode !== "--input-only") {
  const client = createIp1Client({
    baseUrl,
    token: "bench-token",
    env: {},
    fetch: (request) => {
      requests++;
      return fetch(request);
    },
  });
  const ledger = mode === "--ledger" && ledgerSpec ? await openLedger(ledgerSpec) : undefined;
  const start = process.hrtime.bigint();
  const result = await client.sendNkiBulk(
    42,
    { Users: users, From: "Acme", Message: "Hur nöjd är du med oss?" },
    { keepMessages: mode === undefined, ledger },
  );
  ms = Number(process.hrtime.bigint() - start) / 1e6;
  unsentChunks = result.chunks.filter((chunk) => chunk.outcome !== "sent").length;
  await ledger?.close();
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const output: BulkChildResult = { recipients: users.length, requests, ms, unsentChunks, peakRssMb };
process.stdout.write(`${JSON.stringify(output)}\n`);
