// client.raw never follows a redirect: a 307 to another loopback port would replay the body (the recipients) there.
// Two fake IP1s (test/support/fault-server.ts) record what reaches each.
import { createIp1Client } from "ip1-nki";
import { afterEach, expect, it } from "vitest";
import { type FaultServer, startFaultServer } from "../support/fault-server.js";

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}

it.each([307, 308, 302, 303])(
  "client.raw returns a %i to another port as it came, and nothing reaches that port",
  async (status) => {
    const other = await serve({ accept: true });
    const ip1 = await serve({
      answerWith: ({ url }) => ({ answer: status, headers: { location: `${other.url}${url}` } }),
    });
    const client = createIp1Client({ account: "ip1-1", apiKey: "raw-SECRET", baseUrl: ip1.url, env: {} });
    const body = { From: "Acme", Message: "Hej", Users: [{ FirstName: "Anna", Phone: "+46701234567" }] };
    const { response } = await client.raw.POST("/api/nkis/{nki}/users/send", {
      params: { path: { nki: 42 } },
      body,
      redirect: "follow",
    } as never);
    expect(response.status).toBe(status);
    expect(ip1.requests.map((request) => request.body)).toEqual([JSON.stringify(body)]);
    expect(other.requests).toEqual([]);
  },
);
