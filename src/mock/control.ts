// The HTTP simulator's control surface, for tests in any language: read what was sent, reset, move simulated time,
// queue a scenario, and assert that nobody was texted twice. Under `/_mock/`, a prefix IP1's API does not use; it
// needs no credentials (the simulator listens on 127.0.0.1 only).
import { Ip1ConfigurationError } from "../errors.js";
import type { Ip1Mock } from "./simulator.js";

/** The control paths, for the banner and the docs: method, path, what it does. */
export const CONTROL_ROUTES = [
  ["GET", "/_mock/ledger", "every SMS sent (the ledger) and the sent log as it stands now"],
  ["POST", "/_mock/reset", "back to the state just after start: nothing sent, the clock at the wall clock"],
  ["POST", "/_mock/advance?ms=N", "moves simulated time forward N ms (statuses move on: 0 → 21 → 22)"],
  ["POST", "/_mock/once", 'a JSON scenario body for the next send only (queued), such as {"serverError":{}}'],
  ["POST", "/_mock/once-read", "a JSON scenario body for the next read of the sent log only (queued)"],
  ["GET", "/_mock/assert-texted-once", "200 when nobody got two texts, else 409 naming the phones"],
] as const;

export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** The answer to a control request, or undefined when `path` is not under `/_mock/`. */
export function answerControl(mock: Ip1Mock, method: string, url: URL, body: string): ControlAnswer | undefined {
  if (!url.pathname.startsWith("/_mock/")) return undefined;
  const route = `${method.toUpperCase()} ${url.pathname}`;
  try {
    switch (route) {
      case "GET /_mock/ledger":
        return ok({
          now: mock.now.toISOString(),
          requestCount: mock.requestCount,
          sent: mock.ledger.entries,
          log: mock.sentLog.records(),
        });
      case "POST /_mock/reset":
        mock.reset();
        return ok({ now: mock.now.toISOString() });
      case "POST /_mock/advance": {
        const ms = url.searchParams.get("ms") ?? "";
        if (!/^\d+$/.test(ms)) return problem(400, `ms: give a whole number of milliseconds, such as ?ms=60000.`);
        mock.advance(Number(ms));
        return ok({ now: mock.now.toISOString() });
      }
      case "POST /_mock/once":
      case "POST /_mock/once-read": {
        const scenario = parseScenario(body);
        if (route === "POST /_mock/once") mock.once(scenario as never);
        else mock.onceRead(scenario as never);
        return ok({ queued: scenario });
      }
      case "GET /_mock/assert-texted-once": {
        const repeated = mock.ledger.textedMoreThanOnce();
        return repeated.length === 0
          ? ok({ texted: mock.ledger.entries.length })
          : { status: 409, body: { ok: false, repeated } };
      }
      default:
        return problem(
          404,
          `No control route ${route}; see ${CONTROL_ROUTES.map(([m, p]) => `${m} ${p}`).join(", ")}.`,
        );
    }
  } catch (error) {
    if (error instanceof Ip1ConfigurationError) return problem(400, error.message);
    throw error;
  }
}

function parseScenario(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new Ip1ConfigurationError('scenario: the body is not JSON; give an object such as {"serverError":{}}.');
  }
}

const ok = (body: Record<string, unknown>): ControlAnswer => ({ status: 200, body: { ok: true, ...body } });
const problem = (status: number, message: string): ControlAnswer => ({ status, body: { ok: false, message } });
