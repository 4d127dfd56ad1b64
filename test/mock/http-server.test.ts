// The HTTP door. `ip1-nki mock --port N` (the real bin, spawned) gives a foreign client, speaking raw HTTP, realistic
// answers: one record per distinct recipient with the right segments, and 401 and 400 exactly where Prism gives
// them; Ctrl-C stops it with exit 0. And the real client over real sockets: a hang times out, a reset is a reset.
import { connect } from "node:net";
import { createIp1Client, estimateSegments, Ip1ConnectionError, Ip1TimeoutError } from "ip1-nki";
import { createIp1Mock, startIp1MockServer } from "ip1-nki/mock";
import { beforeAll, describe, expect, it } from "vitest";
import { validateSendNkiToUsersResponse200 } from "../../generated/validators.js";
import { rejectionOf } from "../client/support.js";
import { bundled } from "../support/bundled.js";
import { type Started, start } from "../support/processes.js";
import { suitePrism } from "../support/suite-prism.js";

const message = "Hur nöjd är du med besöket? Svara här: https://example.se/nki/42 – tack! 🙂".repeat(2);
const body = {
  Users: [
    { FirstName: "Anna", Phone: "+46701234567" },
    { FirstName: "Anna", Phone: "+46 70 123 45 67" },
    { FirstName: "Ola", Phone: "+4791234567" },
  ],
  From: "Acme",
  Message: message,
};
/** The same people without the repeat, for the real client, which refuses a phone twice in one send. */
const distinct = { ...body, Users: body.Users.filter((user) => !user.Phone.includes(" ")) };
const basic = `Basic ${Buffer.from("ip1-1:key").toString("base64")}`;

async function post(baseUrl: string, payload: unknown, headers: Record<string, string>) {
  const response = await fetch(`${baseUrl}/api/nkis/42/users/send`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("ip1-nki mock --port N, from a foreign client", () => {
  let child: Started;
  let url: string;

  beforeAll(async () => {
    // --port 0: the system picks a free port (listen(0)), and the banner says which. Its own process group, killed
    // after this file's tests whatever happens (test/support/processes.ts).
    child = start(process.execPath, [await bundled("src/cli/main.ts"), "mock", "--port", "0"]);
    const banner = /Simulated IP1 NKI API on (http:\/\/127\.0\.0\.1:\d+)\./;
    await child.waitForOutput(banner);
    url = banner.exec(child.stdout)?.[1] ?? "";
  });

  it("answers one record per distinct recipient, with the segments of the message", async () => {
    const answer = await post(url, body, { Authorization: basic });
    expect(answer.status).toBe(200);
    expect(validateSendNkiToUsersResponse200(answer.body)).toBe(true);
    const { segments } = estimateSegments(message);
    expect(segments).toBeGreaterThan(1);
    expect(answer.body).toMatchObject([
      { To: "+46701234567", CountryCode: "SE", Segments: segments, Encoding: 2, From: "Acme", Message: message },
      { To: "+4791234567", CountryCode: "NO", Segments: segments, Encoding: 2 },
    ]);
  });

  it("answers 401 and 400 where Prism does, and names the invalid fields", async () => {
    const prismUrl = await suitePrism();
    const invalid = { ...body, Users: [{ Phone: "+46701234567" }], From: 7 };
    const cases: [unknown, Record<string, string>][] = [
      [body, {}],
      [body, { Authorization: "Bearer" }],
      [body, { Authorization: "Basic bm9jb2xvbg==" }],
      [invalid, { Authorization: basic }],
      [invalid, {}],
    ];
    const statuses = [];
    for (const [payload, headers] of cases) {
      const [ours, prism] = await Promise.all([post(url, payload, headers), post(prismUrl, payload, headers)]);
      statuses.push([ours.status, prism.status]);
    }
    expect(statuses).toEqual([
      [401, 401],
      [401, 401],
      [401, 401],
      [400, 400],
      [401, 401],
    ]);
    const named = await post(url, invalid, { Authorization: basic });
    expect(Object.keys((named.body as { ModelState: object }).ModelState).sort()).toEqual([
      "From",
      "Users[0].FirstName",
    ]);
  });

  it("stops on Ctrl-C (SIGINT) with exit 0, and its port closes", async () => {
    process.kill(child.pid, "SIGINT");
    await expect(child.exited).resolves.toMatchObject({ code: 0 });
    expect(child.stderr).toMatch(/^Mock stopped after 7 request\(s\); 2 SMS "sent"\.\n$/);
    await expect(fetch(`${url}/`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });
});

describe("ip1-nki mock's sent log and control surface, from a foreign client", () => {
  let child: Started;
  let url: string;

  beforeAll(async () => {
    child = start(process.execPath, [await bundled("src/cli/main.ts"), "mock", "--port", "0"]);
    const banner = /Simulated IP1 NKI API on (http:\/\/127\.0\.0\.1:\d+)\./;
    await child.waitForOutput(banner);
    url = banner.exec(child.stdout)?.[1] ?? "";
  });

  it("logs a 'sent, then 5xx' send, moves its status in simulated time, and asserts texted once", async () => {
    const control = (method: string, path: string, payload?: unknown) =>
      fetch(`${url}${path}`, { method, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) });
    expect((await control("POST", "/_mock/once", { serverError: { status: 502 } })).status).toBe(200);
    expect((await post(url, distinct, { Authorization: basic })).status).toBe(502);
    const read = async () => {
      const response = await fetch(`${url}/api/sms/sent?to=${encodeURIComponent("+4791234567")}`, {
        headers: { Authorization: basic },
      });
      return (await response.json()) as { Status: number; BundleID: number }[];
    };
    expect((await read()).map((record) => record.Status)).toEqual([0]);
    expect((await control("POST", "/_mock/advance?ms=60000")).status).toBe(200);
    expect((await read()).map((record) => record.Status)).toEqual([22]);
    const ledger = (await (await control("GET", "/_mock/ledger")).json()) as { sent: { answer: number }[] };
    expect(ledger.sent.map((sms) => sms.answer)).toEqual([502, 502]);
    expect((await control("GET", "/_mock/assert-texted-once")).status).toBe(200);
    await post(url, distinct, { Authorization: basic });
    expect((await control("GET", "/_mock/assert-texted-once")).status).toBe(409);
    expect((await control("POST", "/_mock/reset")).status).toBe(200);
    expect((await control("GET", "/_mock/assert-texted-once")).status).toBe(200);
    await child.stop();
  });
});

describe("the real client over real sockets", () => {
  it("a hang outlives the client's timeout (unknown outcome), and close() still ends the hung connection", async () => {
    const mock = createIp1Mock({ scenario: { hang: true } });
    const server = await startIp1MockServer(mock);
    // Long enough for the request to reach the server on a busy machine; the hang outlasts any timeout.
    const client = createIp1Client({ baseUrl: server.url, token: "t", env: {}, timeoutMs: 1500 });
    const error = await rejectionOf(client.sendNki(42, distinct));
    expect(error).toBeInstanceOf(Ip1TimeoutError);
    expect(error.outcome).toBe("unknown");
    expect(mock.ledger.entries).toHaveLength(2);
    await server.close();
  });

  it("a reset is a connection error with an unknown outcome, after the ledger took the messages", async () => {
    const mock = createIp1Mock({ scenario: { reset: true } });
    const server = await startIp1MockServer(mock);
    try {
      const client = createIp1Client({ baseUrl: server.url, token: "t", env: {} });
      const error = await rejectionOf<Ip1ConnectionError>(client.sendNki(42, distinct));
      expect(error).toBeInstanceOf(Ip1ConnectionError);
      expect(error.outcome).toBe("unknown");
      expect(mock.ledger.entries.map((sms) => sms.answer)).toEqual(["reset", "reset"]);
      expect(mock.requestCount).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("survives a client that hangs up in the middle of its body, and answers the next one", async () => {
    const mock = createIp1Mock();
    const server = await startIp1MockServer(mock);
    try {
      const { port } = server;
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.write(`POST /api/nkis/42/users/send HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"Users":`);
          socket.destroy();
        });
        socket.once("close", () => resolve());
        socket.once("error", reject);
      });
      const client = createIp1Client({ baseUrl: server.url, token: "t", env: {} });
      expect(await client.sendNki(42, distinct)).toHaveLength(2);
      expect(mock.requestCount).toBe(1);
    } finally {
      await server.close();
    }
  });
});
