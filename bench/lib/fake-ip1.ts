// A loopback stand-in for IP1 that answers every send with a valid 200: one OutgoingSms record per recipient.
// Much faster than Prism (which answers with the spec's two-record example and validates every request), so the
// bulk figures against it are the client's own throughput.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { NkiSendRequest, OutgoingSms } from "../../src/types-entry.js";

export interface FakeIp1 {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

const SEND_PATH = /^\/api\/nkis\/\d+\/users\/send$/;

function record(request: NkiSendRequest, phone: string, id: number): OutgoingSms {
  return {
    ID: id,
    BundleID: 1,
    Status: 0,
    StatusDescription: "Delivered to gateway",
    To: phone,
    CountryCode: "SE",
    Currency: 752,
    TotalPrice: 0.35,
    Price: 0.35,
    Encoding: 0,
    Segments: 1,
    From: request.From,
    Message: request.Message,
  };
}

export async function startFakeIp1(): Promise<FakeIp1> {
  let requests = 0;
  let nextId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || !SEND_PATH.test(req.url ?? "")) {
        res.writeHead(404).end();
        return;
      }
      requests++;
      const body = JSON.parse(Buffer.concat(chunks).toString()) as NkiSendRequest;
      const answer = body.Users.map((user) => record(body, user.Phone, nextId++));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
