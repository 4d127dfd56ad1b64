// The fake IP1 itself: `accept` answers what the spec says IP1 answers, one record per user; it counts the sends
// that reached each phone, says when a number of requests has arrived, and can delay or hold back its answers.
import { afterEach, describe, expect, it } from "vitest";
import { validateSendNkiToUsersResponse200 } from "../../generated/validators.js";
import { type FaultServer, startFaultServer } from "./fault-server.js";

let server: FaultServer | undefined;
afterEach(() => server?.close());

const send = (url: string, phones: string[]) =>
  fetch(`${url}/api/nkis/42/users/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ From: "Acme", Message: "Hur nöjd är du?", Users: phones.map((Phone) => ({ Phone })) }),
  });

describe("the fault server as a fake IP1", () => {
  it("accepts with one full, valid record per user, and counts the sends that reached each phone", async () => {
    server = await startFaultServer({ accept: true });
    const arrived = server.waitForRequests(2);
    const first = await (await send(server.url, ["+46701234567", "+46701234568"])).json();
    expect(validateSendNkiToUsersResponse200(first), JSON.stringify(validateSendNkiToUsersResponse200.errors)).toBe(
      true,
    );
    expect(first).toMatchObject([
      { To: "46701234567", From: "Acme", Status: 0 },
      { To: "46701234568", Status: 0 },
    ]);
    const second = (await (await send(server.url, ["+46701234567"])).json()) as { ID: number }[];
    await arrived;
    expect(second[0]?.ID).toBeGreaterThan((first as { ID: number }[])[1]?.ID ?? Number.POSITIVE_INFINITY);
    expect([...server.receipts]).toEqual([
      ["+46701234567", 2],
      ["+46701234568", 1],
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it("accepts short (records for the first half of the users), and answers 404 to anything but a send", async () => {
    server = await startFaultServer({ accept: true, short: true });
    const records = (await (await send(server.url, ["+46701234567", "+46701234568", "+46701234569"])).json()) as {
      To: string;
    }[];
    expect(records.map((record) => record.To)).toEqual(["46701234567"]);
    expect((await fetch(`${server.url}/api/sms/sent/1`)).status).toBe(404);
    expect(server.receipts.get("+46701234569")).toBe(1); // counted: it reached the server, answered or not
  });

  it("holds every answer while gated, until open(); counted as they arrive", async () => {
    server = await startFaultServer({ accept: true }, { gated: true });
    let answered = 0;
    const sends = [send(server.url, ["+46701234567"]), send(server.url, ["+46701234568"])].map((sent) =>
      sent.then((response) => {
        answered++;
        return response.status;
      }),
    );
    await server.waitForRequests(2);
    expect(server.receipts.size).toBe(2);
    expect(answered).toBe(0);
    server.open();
    expect(await Promise.all(sends)).toEqual([200, 200]);
    expect((await send(server.url, ["+46701234569"])).status).toBe(200); // open: later ones at once
  });

  it("delays the answer to each request by delayMs(index)", async () => {
    server = await startFaultServer({ accept: true }, { delayMs: (index) => (index === 0 ? 60_000 : 0) });
    let firstAnswered = false;
    void send(server.url, ["+46701234567"]).then(
      () => {
        firstAnswered = true;
      },
      () => {}, // cut off by close() after the test
    );
    await server.waitForRequests(1);
    expect((await send(server.url, ["+46701234568"])).status).toBe(200);
    expect(firstAnswered).toBe(false);
  });

  it("waits for requests not yet made", async () => {
    server = await startFaultServer({ answer: 500 });
    let done = false;
    const waiting = server.waitForRequests(1).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    await send(server.url, ["+46701234567"]);
    await waiting;
    expect(done).toBe(true);
  });
});
