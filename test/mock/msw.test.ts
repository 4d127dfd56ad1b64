// The MSW door (ip1-nki/mock/msw): the client with its default fetch, intercepted by MSW's setupServer, reaches the
// same simulator: records, a failed recipient, a reset and a hang.
import { createIp1Client, Ip1ConnectionError, Ip1TimeoutError } from "ip1-nki";
import { createIp1Mock } from "ip1-nki/mock";
import { ip1MockHandlers } from "ip1-nki/mock/msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { rejectionOf } from "../client/support.js";

const mock = createIp1Mock();
const server = setupServer(...ip1MockHandlers(mock));
// Made after listen(): openapi-fetch takes globalThis.fetch when the client is created, so an earlier client would
// keep the real, unintercepted fetch.
let client: ReturnType<typeof createIp1Client>;
const body = { Users: [{ FirstName: "Anna", Phone: "+46701234567" }], From: "Acme", Message: "Hej" };

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  client = createIp1Client({ token: "t", env: {} });
});
afterAll(() => server.close());
beforeEach(() => mock.reset());

it("answers a send to IP1's default URL with the simulator's records", async () => {
  mock.once({ failed: { "+46701234567": 52 } });
  expect(await client.sendNki(42, body)).toMatchObject([{ To: "+46701234567", Status: 52 }]);
  expect(mock.ledger.entries).toHaveLength(1);
});

it("turns a reset into a network error, and a hang into the client's timeout", async () => {
  mock.once({ reset: true });
  const reset = await rejectionOf(client.sendNki(42, body));
  expect(reset).toBeInstanceOf(Ip1ConnectionError);
  expect(reset.outcome).toBe("unknown");
  mock.once({ hang: true });
  const hang = await rejectionOf(client.sendNki(42, body, { timeoutMs: 100 }));
  expect(hang).toBeInstanceOf(Ip1TimeoutError);
  expect(mock.ledger.entries.map((sms) => sms.answer)).toEqual(["reset", "hang"]);
});
