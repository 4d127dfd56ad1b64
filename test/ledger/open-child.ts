// A process for the open race: says "ready", waits for the file argv[3] to exist (the parent's start signal), then
// opens and closes each ledger of the comma-separated list argv[2] (making those not yet made), and prints each
// refusal's message on a line of its own.
import { existsSync } from "node:fs";
import { openLedger } from "../../src/ledger/open.js";

const [list, go] = process.argv.slice(2) as [string, string];
process.stdout.write("ready\n");
while (!existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 2));
for (const file of list.split(",")) {
  try {
    await (await openLedger(file)).close();
  } catch (error) {
    process.stdout.write(`${(error as Error).message}\n`);
  }
}
