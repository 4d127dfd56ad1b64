// Where the requests go: IP1 (or --base-url) with credentials from the environment, or the embedded mock.
// Everything that can be wrong with that is checked before the ledger is opened; the mock starts only when needed.
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
  const client = clientOrCliError({
    ...credentialsFrom(env),
    baseUrl: options.baseUrl,
    env,
    timeoutMs: options.timeoutMs,
  });
  const origin = new URL(options.baseUrl ?? env.IP1_BASE_URL ?? "https://api.ip1sms.com").origin;
  return {
    ledgerTarget: canonicalTarget(origin),
    connect: async () => ({ target: origin, client, close: async () => {} }),
  };
}

type Credentials = { token: string } | { account: string; apiKey: string };

/** Read here, not by the client, so the error can point at --mock too. Never echoes their values. */
function credentialsFrom(env: Env): Credentials {
  const { IP1_ACCOUNT: account, IP1_API_KEY: apiKey, IP1_TOKEN: token } = env;
  if (token) return { token };
  if (account && apiKey) return { account, apiKey };
  const missing = account
    ? "IP1_API_KEY is not set (IP1_ACCOUNT is)"
    : apiKey
      ? "IP1_ACCOUNT is not set (IP1_API_KEY is)"
      : "no IP1 credentials are set";
  throw new CliError(
    `Cannot send: ${missing}. Set IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN, in the environment; ` +
      "or add --mock to try it against a local mock of the API, or --dry-run to only check the input.",
  );
}

function clientOrCliError(options: Parameters<typeof createIp1Client>[0]): Ip1Client {
  try {
    return createIp1Client(options);
  } catch (error) {
    if (error instanceof Ip1ConfigurationError) throw new CliError(error.message);
    throw error;
  }
}
