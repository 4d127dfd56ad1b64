// `ip1-nki mock [--port N]`: the simulator over HTTP on 127.0.0.1 until Ctrl-C or SIGTERM, for trying the CLI and
// for clients in other languages. It prints its URL first, and what it sent when it stops.
import { parseArgs } from "node:util";
import {
  DEFAULT_PRICES,
  type Ip1MockDeliveryPlan,
  type Ip1MockPriceList,
  type Ip1MockScenario,
} from "../mock/index.js";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { mockBanner, startMock } from "./mock.js";
import type { CliIo } from "./send.js";

/** The port `ip1-nki mock` and `npm run mock` listen on when none is given (Prism's default, so old setups work). */
export const DEFAULT_MOCK_PORT = 4010;

export const mockHelp = `Usage: ip1-nki mock [--port N] [--seed N] [--credits N] [--prices JSON] [--scenario JSON] [--delivery JSON]

Runs a simulator of IP1's NKI send on http://127.0.0.1:PORT until Ctrl-C or SIGTERM. It checks credentials and
validates every request as the spec says (401, 400 naming the fields), answers one record per distinct phone with
segments and prices, and can fail in the ways IP1 fails (see the Ip1-Mock-Scenario header in the banner).

  --port N          the port (default ${DEFAULT_MOCK_PORT}; 0 picks a free one)
  --seed N          seeds the IDs, so the same requests get the same answers (default 1)
  --credits N       segments the account can pay for; a send needing more gets 403 (default unlimited)
  --prices JSON     price per segment by country, "*" for the rest (default ${JSON.stringify(DEFAULT_PRICES)})
  --scenario JSON   a scenario for every request, for example '{"failed":{"+46701234567":52}}'
  --delivery JSON   how statuses move in the sent log over simulated time, for example
                    '{"networkAfterMs":5000,"phoneAfterMs":60000,"failLater":{"+46701234567":52},"failureRate":0.1}'

The sent log (GET /api/sms/sent…) holds every text sent; its statuses move only when a test calls
POST /_mock/advance?ms=N. The banner lists the control routes under /_mock/.
`;

export interface MockCommandOptions {
  port: number;
  seed?: number;
  credits?: number;
  prices?: Ip1MockPriceList;
  scenario?: Ip1MockScenario;
  delivery?: Ip1MockDeliveryPlan;
}

export function parseMockArgs(argv: readonly string[]): { help: true } | { help: false; options: MockCommandOptions } {
  let values: ReturnType<typeof parse>["values"];
  try {
    const parsed = parse(argv);
    values = parsed.values;
    if (parsed.positionals.length > 0) throw new Error(`Unexpected argument "${parsed.positionals[0]}".`);
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]} (see ip1-nki mock --help)`);
  }
  if (values.help) return { help: true };
  const scenario = json<Ip1MockScenario>(values.scenario, "--scenario", `'{"hang":true}'`);
  const prices = json<Ip1MockPriceList>(values.prices, "--prices", `'{"SE":0.35,"*":0.5}'`);
  const delivery = json<Ip1MockDeliveryPlan>(values.delivery, "--delivery", `'{"phoneAfterMs":60000}'`);
  return {
    help: false,
    options: {
      port: whole(values.port, "--port", 0, 65_535) ?? DEFAULT_MOCK_PORT,
      seed: whole(values.seed, "--seed", 0, 2 ** 32 - 1),
      credits: whole(values.credits, "--credits", 0, Number.MAX_SAFE_INTEGER),
      prices,
      scenario,
      delivery,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      port: { type: "string" },
      seed: { type: "string" },
      credits: { type: "string" },
      scenario: { type: "string" },
      prices: { type: "string" },
      delivery: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
}

/** The simulator checks what the JSON holds (naming the field); this only checks that it is JSON. */
function json<T>(text: string | undefined, option: string, example: string): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError(`${option}: not JSON; give an object such as ${example}.`);
  }
}

function whole(text: string | undefined, option: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new CliError(`${option}: must be a whole number from ${min} to ${max}, not "${text}".`);
  }
  return value;
}

/** Serves until `io.stop` aborts (Ctrl-C) or the process gets SIGTERM; then stops the server and exits 0. */
export async function runMock(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseMockArgs(argv);
  if (parsed.help) {
    io.stdout.write(mockHelp);
    return ExitCode.ok;
  }
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  process.once("SIGTERM", stop);
  io.stop?.addEventListener("abort", stop, { once: true });
  try {
    const server = await startMock(parsed.options).catch((error: unknown) => {
      // Bad options (named by the simulator's Ip1ConfigurationError), or a port in use.
      throw new CliError(`Cannot start the mock: ${(error as Error).message}`);
    });
    io.stdout.write(mockBanner(server.url));
    if (!stopping.signal.aborted) await new Promise((resolve) => stopping.signal.addEventListener("abort", resolve));
    await server.stop();
    const sent = server.mock.ledger.entries.length;
    io.stderr.write(`Mock stopped after ${server.mock.requestCount} request(s); ${sent} SMS "sent".\n`);
    return ExitCode.ok;
  } finally {
    process.off("SIGTERM", stop);
    io.stop?.removeEventListener("abort", stop);
  }
}
