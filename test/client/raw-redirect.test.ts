// client.raw never follows a redirect: a 307 to another loopback port would replay the body (the recipients) there.
// Two real servers count what reaches each.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createIp1Client } from "ip1-nki";
import { afterEach, expect, it } from "vitest";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function counting(answer: (url: string) => { status: number; headers?: Record<string, string> }) {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      bodies.push(body);
      const { status, headers } = answer(request.url ?? "");
      response.writeHead(status, headers).end(status === 200 ? "[]" : "");
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

it.each([307, 308, 302, 303])(
  "client.raw returns a %i to another port as it came, and nothing reaches that port",
  async (status) => {
    const other = await counting(() => ({ status: 200 }));
    const ip1 = await counting((path) => ({ status, headers: { location: `${other.url}${path}` } }));
    const client = createIp1Client({ account: "ip1-1", apiKey: "raw-SECRET", baseUrl: ip1.url, env: {} });
    const body = { From: "Acme", Message: "Hej", Users: [{ FirstName: "Anna", Phone: "+46701234567" }] };
    const { response } = await client.raw.POST("/api/nkis/{nki}/users/send", {
      params: { path: { nki: 42 } },
      body,
      redirect: "follow",
    } as never);
    expect(response.status).toBe(status);
    expect(ip1.bodies).toEqual([JSON.stringify(body)]);
    expect(other.bodies).toEqual([]);
  },
);
