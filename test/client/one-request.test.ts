// One Request per send: with no middleware on `raw`, sendNki builds the request itself (one Request to a caller's
// fetch, or the parts to Node's own fetch), still with its exact Content-Length and one-shot body; middleware added
// with `raw.use` sends it through openapi-fetch again, so the middleware sees it. A caller's fetch may declare a
// Content-Length its body does not keep, so its answer is still counted as it is read.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createIp1Client, Ip1ApiError } from "ip1-nki";
import type { Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { body, echoRecipients, json, type LoopbackServer, loopbackServer, rejectionOf, testClient } from "./support.js";

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Reads the request body, then answers `status` with a JSON echo of the recipients' phones. */
async function serve(status: number, bodies: string[]) {
  const server = await loopbackServer((request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      bodies.push(text);
      const users = (JSON.parse(text) as { Users: { Phone: string }[] }).Users;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(users.map((user) => ({ To: user.Phone, Status: 0 }))));
    });
  });
  servers.push(server);
  return server;
}

describe("one Request per send", () => {
  it("hands a caller's fetch one Request with the JSON body, its Content-Length and the client's headers", async () => {
    const seen: Request[] = [];
    const answer = echoRecipients();
    const client = testClient(async (request) => {
      seen.push(request);
      return answer(request.clone());
    });
    const records = await client.sendNki(42, body(), { headers: { "X-Trace": "t1" } });
    expect(records.map((record) => record.To)).toEqual(body().Users.map((user) => user.Phone));
    expect(seen).toHaveLength(1);
    const [request] = seen as [Request];
    expect({ method: request.method, url: request.url, redirect: request.redirect }).toEqual({
      method: "POST",
      url: "https://api.test/api/nkis/42/users/send",
      redirect: "manual",
    });
    expect(request.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(body()))));
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("x-trace")).toBe("t1");
    expect(request.headers.get("authorization")).toMatch(/^Basic /);
  });

  it("with Node's own fetch, reaches the server once, whole and not chunked, even when it answers 421", async () => {
    const bodies: string[] = [];
    const server = await serve(421, bodies);
    const client = createIp1Client({ baseUrl: server.url, token: "t0ken", env: {} });
    const error = await rejectionOf<Ip1ApiError>(client.sendNki(42, body()));
    expect({ status: error.status, outcome: error.outcome }).toEqual({ status: 421, outcome: "unknown" });
    expect(bodies).toEqual([JSON.stringify(body())]);
    expect(server.requests[0]?.headers["content-length"]).toBe(String(Buffer.byteLength(JSON.stringify(body()))));
    expect(server.requests[0]?.headers["transfer-encoding"]).toBeUndefined();
  });

  it("with Node's own fetch, reads a 200 answer by its Content-Length", async () => {
    const server = await serve(200, []);
    const client = createIp1Client({ baseUrl: server.url, token: "t0ken", env: {} });
    const records = await client.sendNki(42, body());
    expect(records.map((record) => record.To)).toEqual(body().Users.map((user) => user.Phone));
  });

  it("counts what a caller's fetch returns, whatever Content-Length it declares", async () => {
    const long = JSON.stringify([{ To: "+46700000000", Message: "x".repeat(10_000) }]);
    const client = testClient(async () => json(200, JSON.parse(long), { "content-length": "2" }), {
      maxResponseBytes: 4096,
    });
    const error = await rejectionOf<Ip1ApiError>(client.sendNki(42, body()));
    expect(error).toBeInstanceOf(Ip1ApiError);
    expect(error.message).toMatch(/4096-byte limit/);
  });
});

describe("middleware on raw", () => {
  it("sees sendNki's request once added, and no longer once ejected", async () => {
    const seen: string[] = [];
    const stamped: (string | null)[] = [];
    const answer = echoRecipients();
    const client = testClient(async (request) => {
      stamped.push(request.headers.get("x-stamp"));
      return answer(request.clone());
    });
    const stamp: Middleware = {
      onRequest({ request }) {
        seen.push(request.url);
        request.headers.set("x-stamp", "yes");
        return request;
      },
    };
    client.raw.use(stamp);
    await client.sendNki(42, body());
    client.raw.eject(stamp);
    await client.sendNki(42, body());
    expect(seen).toEqual(["https://api.test/api/nkis/42/users/send"]);
    expect(stamped).toEqual(["yes", null]);
  });
});
