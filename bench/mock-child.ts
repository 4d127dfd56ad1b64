// One fresh process: how long from createIp1Mock() until the client's first send (10 recipients) resolves, as JSON.
import { createIp1Client } from "../src/index.js";
import { createIp1Mock } from "../src/mock/index.js";
import { tenRecipients } from "./mock.js";

const start = performance.now();
const mock = createIp1Mock();
const client = createIp1Client({ token: "bench", env: {}, fetch: mock.fetch });
const records = await client.sendNki(42, tenRecipients(0));
const firstAnswerMs = performance.now() - start;
if (records.length !== 10) throw new Error(`expected 10 records, got ${records.length}`);
process.stdout.write(JSON.stringify({ firstAnswerMs }));
