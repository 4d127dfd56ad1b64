// The one fake IP1 of the tests and the bench: a loopback HTTP server that misbehaves on command, and records every
// request that reached it (and how many sends reached each phone), so a test can say exactly how many times a send
// could have been processed. It shares no code with the client, so the at-most-once attacks can count on it. Answers
// can be delayed or held back (gated), so a test can kill or stop a client while its requests are in flight. Listens
// on a kernel-chosen port (listen(0)).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";

/** What the server does with one request. */
export type Fault =
  /** Answer normally, with this status, headers and body (JSON content type unless `headers` says otherwise). */
  | { answer: number; body?: string; headers?: Record<string, string> }
  /**
   * A send (POST /api/nkis/{nki}/users/send) gets 200 with one full record per user (IDs counting up), as IP1 answers
   * when it accepts everyone; with `short`, records for the first half of the users only. Any other request: 404.
   */
  | { accept: true; short?: boolean }
  /** Read the request, then never answer (until the client gives up or the server closes). */
  | { hang: true }
  /** Read the whole body, then reset the connection (TCP RST) before any byte of a response. */
  | { resetAfterBody: true }
  /** Close the connection as soon as the request's headers arrive, without reading its body. */
  | { closeBeforeBody: true }
  /** Answer 200 with a Content-Length longer than `body`, send `body`, then drop the connection. */
  | { dropMidBody: string }
  /**
   * Write a 200's status line and headers a few bytes at a time. With `endless`, header lines keep coming until the
   * client hangs up, so the headers never complete; otherwise they complete and the body follows.
   */
  | { trickleHeaders: { body: string; endless?: boolean } }
  /** Answer `status` (a 3xx) with `Location: location`. */
  | { redirect: number; location: string }
  /** Answer as `answerWith` says, from the request it read (to echo what the client sent, such as Authorization). */
  | { answerWith: (request: SeenRequest) => { answer: number; body?: string; headers?: Record<string, string> } }
  /**
   * Answer `status` with a body that never ends (written as fast as the client reads), optionally declaring a
   * Content-Length; `written` counts the bytes the server managed to write before the client hung up.
   */
  | { flood: { status: number; declaredLength?: number; written?: { bytes: number } } };

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as read, or undefined when the fault did not read it. */
  body: string | undefined;
}

export interface FaultServer {
  /** http://HOST:PORT */
  url: string;
  /** Every request that reached the server, in order. */
  requests: SeenRequest[];
  /** For each phone (as sent), how many requests that reached the server carried it in their Users. */
  receipts: ReadonlyMap<string, number>;
  /** Resolves once `count` requests have reached the server (their bodies read). */
  waitForRequests(count: number): Promise<void>;
  /** With `gated`: answers every request held so far, and every later one as it comes. */
  open(): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  /** Any loopback address (127.0.0.2 is another origin than 127.0.0.1). Default: 127.0.0.1. */
  host?: string;
  /** Milliseconds to wait, after reading request `index` (0-based), before meeting it with its fault. */
  delayMs?: (index: number) => number;
  /** Hold every answer until `open()`, so that two clients' requests are surely in flight at once. */
  gated?: boolean;
}

const json = { "content-type": "application/json" };

/** Starts a server that meets request `i` with `faults[i]`, and every later request with the last fault. */
export async function startFaultServer(
  faults: Fault | Fault[],
  { host = "127.0.0.1", delayMs, gated = false }: FaultServerOptions = {},
): Promise<FaultServer> {
  const plan = Array.isArray(faults) ? faults : [faults];
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const receipts = new Map<string, number>();
  let held: (() => void)[] | undefined = gated ? [] : undefined;
  let bodiesRead = 0;
  const waiting = new Set<{ count: number; resolve(): void }>();
  let nextId = 1;

  const server = createServer((request, response) => {
    const seen: SeenRequest = {
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      body: undefined,
    };
    const index = requests.push(seen) - 1;
    const fault = plan[Math.min(index, plan.length - 1)] as Fault;
    if ("closeBeforeBody" in fault) {
      request.socket.destroy();
      return;
    }
    readBody(request).then((body) => {
      seen.body = body;
      // Counted on arrival: a request that reached IP1 may have texted, whatever becomes of its answer.
      for (const phone of usersOf(body)) receipts.set(phone, (receipts.get(phone) ?? 0) + 1);
      bodiesRead++;
      for (const waiter of waiting) if (bodiesRead >= waiter.count) waiter.resolve();
      const answer = () => misbehave(fault, request, response, seen);
      if (held) held.push(answer);
      else after(delayMs?.(index) ?? 0, answer);
    });
  });

  function after(ms: number, then: () => void) {
    if (ms <= 0) return then();
    const timer = setTimeout(() => {
      timers.delete(timer);
      then();
    }, ms);
    timers.add(timer);
  }

  function misbehave(fault: Fault, request: IncomingMessage, response: ServerResponse, seen: SeenRequest) {
    const socket = request.socket;
    if ("accept" in fault) {
      if (seen.method !== "POST" || !/^\/api\/nkis\/\d+\/users\/send$/.test(seen.url)) {
        response.writeHead(404).end();
        return;
      }
      const { From, Message, Users } = JSON.parse(seen.body ?? "") as { From: string; Message: string; Users: [] };
      const answered = fault.short ? Users.slice(0, Math.floor(Users.length / 2)) : Users;
      const bundle = nextId;
      const records = (answered as { Phone: string }[]).map(({ Phone }) => ({
        ID: nextId++,
        BundleID: bundle,
        Status: 0,
        StatusDescription: "Delivered to gateway",
        To: Phone.replace(/^\+/, ""),
        CountryCode: "SE",
        Currency: 752,
        TotalPrice: 0.35,
        Price: 0.35,
        Encoding: 0,
        Segments: 1,
        From,
        Message,
      }));
      response.writeHead(200, json);
      response.end(JSON.stringify(records));
    } else if ("answer" in fault || "answerWith" in fault) {
      const answer = "answerWith" in fault ? fault.answerWith(seen) : fault;
      response.writeHead(answer.answer, { ...json, ...answer.headers });
      response.end(answer.body ?? "");
    } else if ("flood" in fault) {
      const { status, declaredLength, written = { bytes: 0 } } = fault.flood;
      const length = declaredLength === undefined ? {} : { "content-length": String(declaredLength) };
      response.writeHead(status, { ...json, ...length });
      const piece = "[".repeat(16_384);
      const more = () => {
        while (!response.destroyed && response.write(piece)) written.bytes += piece.length;
        if (!response.destroyed) response.once("drain", more);
      };
      more();
    } else if ("resetAfterBody" in fault) {
      socket.resetAndDestroy();
    } else if ("dropMidBody" in fault) {
      response.writeHead(200, { ...json, "content-length": String(Buffer.byteLength(fault.dropMidBody) + 100) });
      // Destroy only once the partial body has been handed to the kernel, so the client sees it and then the drop.
      response.write(fault.dropMidBody, () => socket.destroy());
    } else if ("trickleHeaders" in fault) {
      trickle(socket, fault.trickleHeaders.body, fault.trickleHeaders.endless === true);
    } else if ("redirect" in fault) {
      response.writeHead(fault.redirect, { location: fault.location, "content-length": "0" });
      response.end();
    }
    // `hang`: nothing; close() ends the connection.
  }

  // Raw bytes on the socket, bypassing node:http's response, so the headers can arrive in pieces.
  function trickle(socket: IncomingMessage["socket"], body: string, endless: boolean) {
    const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n`;
    const pieces = head.match(/.{1,8}/gs) ?? [];
    let filler = 0;
    const next = () => {
      if (socket.destroyed) return;
      const piece = pieces.shift() ?? (endless ? `X-Filler-${filler++}: ${"x".repeat(8)}\r\n` : undefined);
      if (piece === undefined) {
        socket.end(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return;
      }
      socket.write(piece);
      after(20, next);
    };
    next();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("fault server: no address");
  return {
    url: `http://${host}:${address.port}`,
    requests,
    receipts,
    waitForRequests: (count) =>
      new Promise<void>((resolve) => {
        if (bodiesRead >= count) return resolve();
        const waiter = {
          count,
          resolve: () => {
            waiting.delete(waiter);
            resolve();
          },
        };
        waiting.add(waiter);
      }),
    open: () => {
      const answers = held ?? [];
      held = undefined;
      for (const answer of answers) answer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The phones of a send's body (none for any other body). */
function usersOf(body: string): string[] {
  try {
    const { Users } = JSON.parse(body) as { Users?: { Phone?: unknown }[] };
    return Array.isArray(Users) ? Users.map((user) => String(user?.Phone)) : [];
  } catch {
    return [];
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
    request.on("error", () => resolve(body));
  });
}
