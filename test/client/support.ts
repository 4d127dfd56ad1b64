// Shared helpers for the client's unit tests: an injected fetch that records requests and answers from a script,
// request bodies, and real loopback servers for the tests where sockets matter.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createIp1Client,
  type Ip1ClientOptions,
  type Ip1Error,
  type NkiSendRequest,
  type NkiUser,
  type OutgoingSms,
} from "ip1-nki";

export const account = "ip1-12345";
export const apiKey = "s3cret-api-key-DO-NOT-LEAK";

/** Options for a client that must never reach a real network: injected fetch, fake credentials, tiny retry waits. */
export function testClient(fetch: (request: Request) => Promise<Response>, options: Ip1ClientOptions = {}) {
  return createIp1Client({
    account,
    apiKey,
    baseUrl: "https://api.test",
    maxRetryDelayMs: 5,
    env: {},
    fetch,
    ...options,
  });
}

/** The error `promise` rejects with; the test fails if it resolves. */
export function rejectionOf<E = Ip1Error>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error("expected the promise to reject, but it resolved");
    },
    (error: unknown) => error as E,
  );
}

type Answer = Response | Error | ((request: Request) => Response | Promise<Response>);

/**
 * A fetch that answers each call with the next scripted answer (the last one repeats), and records every request
 * with its body read as text.
 */
export function scriptedFetch(...answers: Answer[]) {
  const requests: { request: Request; body: string }[] = [];
  const fetch = async (request: Request) => {
    requests.push({ request, body: await request.clone().text() });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    if (typeof answer === "function") return answer(request);
    return (answer as Response).clone();
  };
  return { fetch, requests };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** A fetch failure as undici reports it: a TypeError whose cause carries the system error code. */
export function networkError(code: string) {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

/** `count` users with distinct, valid Swedish mobile numbers in E.164 (+46 70 000 00 00 onwards). */
export function users(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    FirstName: `User${from + i}`,
    Phone: `+4670${String(from + i).padStart(7, "0")}`,
  }));
}

export function body(recipients: NkiUser[] = users(2)): NkiSendRequest {
  return { Users: recipients, From: "Acme", Message: "Hur nöjd är du?" };
}

export function sms(to: string, status = 0): OutgoingSms {
  return { To: to, Status: status, From: "Acme", Message: "Hur nöjd är du?" };
}

/** Answers a send with one record per recipient, in order, each with the given status. */
export function echoRecipients(status = 0) {
  return async (request: Request) => {
    const sent = (await request.json()) as NkiSendRequest;
    return json(
      200,
      sent.Users.map((user) => sms(user.Phone, status)),
    );
  };
}

export interface LoopbackServer {
  url: string;
  /** Requests the server has received so far. */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, on a port from listen(0). */
export async function loopbackServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LoopbackServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: listen(0), then close. */
export async function closedPort(): Promise<number> {
  const server = await loopbackServer(() => {});
  const port = Number(new URL(server.url).port);
  await server.close();
  return port;
}
