// The sent log's contract, for each of its three reads, against Prism (the project's oracle, on the same spec) and
// against the simulator: both answer a valid read 200 with a body the spec's validator passes, both answer 401
// without credentials with the spec's ErrorMessage, and both refuse a path parameter that is not an int32. There
// they differ in the status alone, and on purpose: Prism answers 422 (its own choice when the spec declares no 400),
// the simulator 400 as IP1's ASP.NET Web API does for a value it cannot bind (an inference; verify:live can check it).
import { createIp1Client } from "ip1-nki";
import { createIp1Mock } from "ip1-nki/mock";
import { beforeAll, describe, expect, it } from "vitest";
import {
  validateGetSentSmsResponse200,
  validateGetSentSmsResponse401,
  validateListSentSmsInBundleResponse200,
  validateListSentSmsResponse200,
} from "../../generated/validators.js";
import { suitePrism } from "../support/suite-prism.js";

const prismUrl = await suitePrism();
const mock = createIp1Mock();
const authorization = `Basic ${Buffer.from("ip1-12345:test-api-key").toString("base64")}`;
let id = 0;
let bundle = 0;

beforeAll(async () => {
  const client = createIp1Client({ account: "ip1-12345", apiKey: "k", env: {}, fetch: mock.fetch });
  const [record] = await client.sendNki(42, {
    Users: [{ FirstName: "Anna", Phone: "+46701234567" }],
    From: "Acme",
    Message: "Hej",
  });
  id = record?.ID as number;
  bundle = record?.BundleID as number;
});

type Door = (path: string, headers: Record<string, string>) => Promise<{ status: number; body: unknown }>;
const doors: [string, Door][] = [
  [
    "Prism",
    async (path, headers) => {
      const response = await fetch(`${prismUrl}${path}`, { headers });
      return { status: response.status, body: await response.json() };
    },
  ],
  [
    "the simulator",
    async (path, headers) => {
      const response = await mock.fetch(`https://api.ip1sms.com${path}`, { headers });
      return { status: response.status, body: await response.json() };
    },
  ],
];

const reads = () =>
  [
    ["getSentSms", `/api/sms/sent/${id}`, validateGetSentSmsResponse200],
    ["listSentSmsInBundle", `/api/sms/sent/bundle/${bundle}`, validateListSentSmsInBundleResponse200],
    ["listSentSms", `/api/sms/sent?to=${encodeURIComponent("+46701234567")}`, validateListSentSmsResponse200],
  ] as const;

describe.each(doors)("%s", (_name, read) => {
  it("answers each valid read 200 with a body the spec's validator passes", async () => {
    for (const [operation, path, validate] of reads()) {
      const answer = await read(path, { authorization });
      expect(answer.status, operation).toBe(200);
      expect(validate(answer.body), `${operation}: ${JSON.stringify(validate.errors)}`).toBe(true);
      if (Array.isArray(answer.body)) expect(answer.body.length, operation).toBeGreaterThan(0);
    }
  });

  it("answers 401 with the spec's ErrorMessage to a read without credentials", async () => {
    for (const [operation, path] of reads()) {
      const answer = await read(path, {});
      expect(answer.status, operation).toBe(401);
      expect(validateGetSentSmsResponse401(answer.body), operation).toBe(true);
    }
  });

  it("refuses an ID or a bundle that is not an int32", async () => {
    for (const path of ["/api/sms/sent/abc", "/api/sms/sent/2147483648", "/api/sms/sent/bundle/1.5"]) {
      const { status } = await read(path, { authorization });
      expect([400, 422], path).toContain(status);
    }
  });
});
