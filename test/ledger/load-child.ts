// Prints which ledger drivers are loaded after importing the client and sending without a ledger, and again after
// opening an SQLite ledger at argv[2] (then a PostgreSQL one at argv[3], when given: its connection may fail).
import { createRequire } from "node:module";

const loaded = () => {
  const modules = Object.keys(createRequire(import.meta.url).cache);
  return ["better-sqlite3", "pg"].filter((name) => modules.some((path) => path.includes(`/node_modules/${name}/`)));
};
const { createIp1Client, openLedger } = await import("../../src/index.js");
const client = createIp1Client({
  token: "t",
  env: {},
  fetch: async () => new Response("[]", { status: 200, headers: { "content-type": "application/json" } }),
});
await client.sendNkiBulk(42, { From: "Acme", Message: "Hej", Users: [{ FirstName: "A", Phone: "+46701234567" }] });
const before = loaded();
const ledger = await openLedger(process.argv[2]);
await ledger.close();
const afterSqlite = loaded();
if (process.argv[3]) await openLedger(process.argv[3]).catch(() => {});
process.stdout.write(JSON.stringify({ before, afterSqlite, afterPostgres: loaded() }));
