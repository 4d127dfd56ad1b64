// Where the requests go: IP1 (or --base-url) with credentials from the environment, or the embedded mock.
// Everything that can be wrong with that is checked before the ledger is opened; the mock starts only when needed.

import { baseUrlOf } from "../client-options.js";
import { canonicalTarget, createIp1Client, type Ip1Client, Ip1ConfigurationError } from "../index.js";
import type { SendOptions } from "./args.js";
import { CliError } from "./cli-error.js";
import { MOCK_CREDENTIALS, startMock } from "./mock.js";

/**
 * The ledger's target for --mock: the embedded mock listens on a new port each run, so its URL cannot name it; one
 * name for it keeps a person texted by the mock from being texted by it again (and apart from any real API).
 */
export const MOCK_TARGET = "mock:ip1-nki";

export interface Connection {
  /** Where requests go, for the report: an origin, never credentials. */
  target: string;
  client: Ip1Client;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export interface PreparedConnection {
  /** The target the ledger records texts under: the API's canonical origin (see canonicalTarget), or MOCK_TARGET. */
  ledgerTarget: string;
  /** Opens the connection (starting the mock). */
  connect(): Promise<Connection>;
}

/** Checks credentials and the base URL now; connecting (and starting the mock) waits until something is sent. */
export function prepareConnection(options: SendOptions, env: Env): PreparedConnection {
  if (options.mock) {
    return {
      ledgerTarget: MOCK_TARGET,
      connect: async () => {
        const mock = await startMock();
        try {
          const client = clientOrCliError({
            ...MOCK_CREDENTIALS,
            baseUrl: mock.url,
            env: {},
            timeoutMs: options.timeoutMs,
          });
          return { target: `the mock at ${mock.url}`, client, close: () => mock.stop() };
        } catch (error) {
          await mock.stop();
          throw error;
        }
      },
    };
  }
  // The library decides which credential is used and whether it is complete; the CLI only words the answer.
  const client = clientOrCliError({ baseUrl: options.baseUrl, env, timeoutMs: options.timeoutMs });
  const origin = new URL(baseUrlOf({ baseUrl: options.baseUrl, env })).origin;
  return {
    ledgerTarget: canonicalTarget(origin),
    connect: async () => ({ target: origin, client, close: async () => {} }),
  };
}

/** The library's configuration error as the CLI says it: credentials by their environment variables, and --mock. */
function clientOrCliError(options: Parameters<typeof createIp1Client>[0]): Ip1Client {
  try {
    return createIp1Client(options);
  } catch (error) {
    if (!(error instanceof Ip1ConfigurationError)) throw error;
    const [missing, given] = error.fields;
    if (error.code === "missing-credentials") throw credentialsError("no IP1 credentials are set");
    if (error.code === "incomplete-credentials") throw credentialsError(`${missing} is not set (${given} is)`);
    throw new CliError(error.message);
  }
}

/** Never echoes the variables' values: the library's error names them only. */
function credentialsError(problem: string): CliError {
  return new CliError(
    `Cannot send: ${problem}. Set IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN, in the environment; ` +
      "or add --mock to try it against a local mock of the API, or --dry-run to only check the input.",
  );
}
