import { scanRecipients } from "./src/cli/recipients.ts";
const options: any = { nki: 42, from: "Acme", message: "Hej", to: [], users: "/tmp/users-1m.csv", email: false, chunkSize: 1000, skipInvalid: false, skipDuplicates: false };
const t = Date.now();
const scan = await scanRecipients(options, "/tmp");
(globalThis as any).gc?.();
const m = process.memoryUsage();
console.log(scan.count, Date.now() - t, "ms", { rss: m.rss >> 20, heapUsed: m.heapUsed >> 20, heapTotal: m.heapTotal >> 20, ext: m.external >> 20, maxRSS: process.resourceUsage().maxRSS >> 10 });
