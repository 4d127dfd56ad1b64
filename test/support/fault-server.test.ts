// The fake IP1 itself: `accept` answers what the spec says IP1 answers, one record per user; it counts the sends
// that reached each phone and says when a number of requests has arrived.
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
    expect(server.sendsTo("+46701234567")).toBe(2);
    expect(server.sendsTo("+46701234568")).toBe(1);
    expect(server.sendsTo("+46700000000")).toBe(0);
    expect(server.requests).toHaveLength(2);
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
