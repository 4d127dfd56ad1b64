// An independent fake IP1 for the attacks: it shares no code with the client or its test helpers, and counts how
// often each phone reached it. Every answer is decided per request by `answer` (accept everyone, answer too few
// records, answer nothing, answer 303 See Other after processing, or hang), after a delay, so a test can kill the CLI
// while requests are in flight; or, gated, holds every answer until the test opens the gate, so two runs truly overlap.
import { createServer, type Server } from "node:http";

export type Answer = "accept" | "short" | "empty" | "see-other" | "hang";

export interface CountingIp1 {
  url: string;
  /** How many requests carried each phone (as sent). */
  receipts: Map<string, number>;
  requests: number;
  /** Phones received more than once. */
  twice(): string[];
  /** With `gated`: answers every request held so far, and every later one at once. */
  open(): void;
  /** Resolves once `count` requests have arrived (and been counted): readiness without polling. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface CountingOptions {
  /** What request `index` (0-based) gets; default: accept. */
  answer?: (index: number) => Answer;
  /** Milliseconds before answering request `index`; default: none. */
  delayMs?: (index: number) => number;
  /** Hold every answer until `open()`. */
  gated?: boolean;
}

export async function startCountingIp1(options: CountingOptions = {}): Promise<CountingIp1> {
  const receipts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  let held: (() => void)[] | undefined = options.gated ? [] : undefined;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      if (request.method !== "POST" || !/^\/api\/nkis\/\d+\/users\/send$/.test(request.url ?? "")) {
        response.writeHead(404).end();
        return;
      }
      const index = requests++;
      const phones = (JSON.parse(body) as { Users: { Phone: string }[] }).Users.map((user) => user.Phone);
      // Counted on arrival: a request that reached IP1 may have texted, whatever happens to its answer.
      for (const phone of phones) receipts.set(phone, (receipts.get(phone) ?? 0) + 1);
      for (const waiter of waiters.filter((w) => w.count <= requests)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const answer = options.answer?.(index) ?? "accept";
      if (answer === "hang") return;
      if (answer === "see-other") {
        // What a server says after it processed a POST: the texts went out, and the answer is elsewhere.
        response.writeHead(303, { location: "/api/nkis/results" }).end();
        return;
      }
      const records =
        answer === "empty" ? [] : answer === "short" ? phones.slice(0, Math.floor(phones.length / 2)) : phones;
      const reply = () => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify(records.map((phone, i) => ({ ID: index * 10_000 + i, To: phone.slice(1), Status: 0 }))),
        );
      };
      const delay = options.delayMs?.(index) ?? 0;
      if (held) held.push(reply);
      else if (delay <= 0) reply();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          reply();
        }, delay);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("counting IP1: no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    receipts,
    get requests() {
      return requests;
    },
    waitForRequests: (count) =>
      count <= requests ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    open: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const reply of waiting) reply();
    },
    twice: () => [...receipts].filter(([, count]) => count > 1).map(([phone]) => phone),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
