// Runs send scenarios in a process of its own and prints one JSON line per scenario. The parent proves, from the
// outside, what no in-process check can: that after every scenario this process exits by itself (no timer, socket or
// pending promise left open) and that no rejection went unhandled. It also prints each error every way a caller might
// log it (message, stack, JSON, util.inspect), and the client itself, so the parent can search all of it for secrets.
import { inspect } from "node:util";
import { createIp1Client, type Ip1Client, type Ip1ClientOptions, type RetryEvent } from "ip1-nki";

/** One scenario, as the parent sends it (JSON, so no functions). */
export interface ChildScenario {
  id: string;
  client: Pick<
    Ip1ClientOptions,
    | "account"
    | "apiKey"
    | "token"
    | "baseUrl"
    | "timeoutMs"
    | "maxRetries"
    | "maxRetryDelayMs"
    | "defaultCountry"
    | "duplicatePhones"
    | "maxRequestBytes"
    | "maxResponseBytes"
  >;
  nki?: number;
  body?: unknown;
  send?: { timeoutMs?: number; headers?: Record<string, string | null>; abortAfterMs?: number; preAborted?: boolean };
}

/** What the child reports for one scenario. */
export interface ChildResult {
  id: string;
  ok: boolean;
  /** The records a successful send resolved to. */
  messages?: { Status?: number }[];
  error?: { name: string; status?: number; outcome?: string; code?: string; message: string };
  retries: { retry: number; delayMs: number; error: string }[];
  /** Every rendering of the error and the client a caller might log. */
  renderings: string[];
  /** What still kept the process alive once the send had settled (timers, sockets), stdio aside. */
  leftOpen: string[];
}

const full = { depth: Number.POSITIVE_INFINITY, showHidden: true };
const unhandled: string[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(String(reason));
});
// Written at exit (stdout to a pipe is synchronous on Linux), so a rejection that surfaces late is still counted.
process.on("exit", () => {
  process.stdout.write(`${JSON.stringify({ exit: true, unhandled })}\n`);
});

async function run(scenario: ChildScenario): Promise<ChildResult> {
  const retries: ChildResult["retries"] = [];
  const onRetry = ({ retry, delayMs, error }: RetryEvent) => retries.push({ retry, delayMs, error: error.name });
  let client: Ip1Client | undefined;
  const renderings: string[] = [];
  try {
    client = createIp1Client({ ...scenario.client, onRetry, env: {} });
    const { abortAfterMs, preAborted, ...send } = scenario.send ?? {};
    const controller = new AbortController();
    if (preAborted) controller.abort(new Error("caller gave up"));
    const abortTimer =
      abortAfterMs === undefined
        ? undefined
        : setTimeout(() => controller.abort(new Error("caller gave up")), abortAfterMs);
    try {
      const messages = await client.sendNki(scenario.nki ?? 42, scenario.body as never, {
        ...send,
        signal: controller.signal,
      });
      return { id: scenario.id, ok: true, messages, retries, renderings, leftOpen: [] };
    } finally {
      clearTimeout(abortTimer);
    }
  } catch (caught) {
    const error = caught as Error & { status?: number; outcome?: string; code?: string };
    renderings.push(error.message, String(error.stack), JSON.stringify(error), inspect(error, full));
    return {
      id: scenario.id,
      ok: false,
      error: {
        name: error.name,
        status: error.status,
        outcome: error.outcome,
        code: error.code,
        message: error.message,
      },
      retries,
      renderings,
      leftOpen: [],
    };
  } finally {
    if (client) renderings.push(inspect(client, full));
  }
}

// A destroyed socket finishes closing a few event-loop turns later, so look again for a bounded number of turns
// (not a time): whatever is still active after that was left open. Not counted: this process's own pipes and
// terminal, and file-system requests (FSReqCallback), which the client never makes; they are the TypeScript loader's
// and can outlast 100 turns on a loaded machine (seen on Node 24 in CI).
const notTheClients = new Set(["PipeWrap", "TTYWrap", "FSReqCallback"]);

async function leftOpen(): Promise<string[]> {
  let active: string[] = [];
  for (let turn = 0; turn < 100; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    active = process.getActiveResourcesInfo().filter((resource) => !notTheClients.has(resource));
    if (active.length === 0) break;
  }
  return active;
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const scenarios = JSON.parse(input || "[]") as ChildScenario[];
for (const scenario of scenarios) {
  const result = await run(scenario);
  process.stdout.write(`${JSON.stringify({ ...result, leftOpen: await leftOpen() })}\n`);
}
