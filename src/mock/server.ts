// The HTTP door: the simulator on a loopback port, for the CLI's --mock, `ip1-nki mock` and clients in other
// languages, with a control surface under /_mock/ (control.ts). A hang keeps the connection open without answering; a reset sends a TCP RST. close() ends every
// connection, hung ones included, so nothing keeps the process alive.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { answerControl } from "./control.js";
import type { Ip1Mock } from "./simulator.js";

export interface Ip1MockServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

export interface Ip1MockServerOptions {
  /** The port on 127.0.0.1; default 0, a free port the system picks. */
  port?: number;
}

/** Bigger bodies get 413: 1000 recipients at the spec's longest fields are well under this. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startIp1MockServer(mock: Ip1Mock, options: Ip1MockServerOptions = {}): Promise<Ip1MockServer> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    // A client that goes away mid-body, or a bug in the core, must not take the server (and its process) down.
    answer(mock, request, response).catch((error: unknown) => {
      if (response.headersSent || request.socket.destroyed) return;
      response.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
      response.end(JSON.stringify({ Message: `The mock failed: ${(error as Error).message}` }));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("The mock server has no port.");
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function answer(mock: Ip1Mock, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) {
    response.writeHead(413, { "Content-Type": "application/json; charset=utf-8", Connection: "close" });
    response.end(JSON.stringify({ Message: "The request body is too large." }));
    return;
  }
  const control = answerControl(mock, request.method ?? "GET", new URL(request.url ?? "/", "http://127.0.0.1"), body);
  if (control) {
    response.writeHead(control.status, { "Content-Type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(control.body));
    return;
  }
  const decided = mock.handle({
    method: request.method ?? "GET",
    url: request.url ?? "/",
    headers: toHeaders(request),
    body,
  });
  if (decided.kind === "hang") return;
  if (decided.kind === "reset") {
    request.socket.resetAndDestroy();
    return;
  }
  response.writeHead(decided.status, { "Content-Type": "application/json; charset=utf-8", ...decided.headers });
  response.end(JSON.stringify(decided.body));
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
