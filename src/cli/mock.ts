// The CLI's mock of IP1: the package's own simulator (ip1-nki/mock) on a loopback port, for `send --mock`,
// `ip1-nki mock` and `npm run mock`. It needs nothing beyond the package: no Prism, no network.
import { CONTROL_ROUTES } from "../mock/control.js";
import {
  createIp1Mock,
  type Ip1Mock,
  type Ip1MockOptions,
  SCENARIO_HEADER,
  startIp1MockServer,
} from "../mock/index.js";

export interface MockServer {
  url: string;
  mock: Ip1Mock;
  stop(): Promise<void>;
}

/** Fake credentials: the mock checks only that Authorization is well formed. */
export const MOCK_CREDENTIALS = { account: "ip1-00000", apiKey: "mock-api-key" } as const;

export async function startMock(options: Ip1MockOptions & { port?: number } = {}): Promise<MockServer> {
  const { port, ...simulator } = options;
  const mock = createIp1Mock(simulator);
  const server = await startIp1MockServer(mock, { port });
  return { url: server.url, mock, stop: () => server.close() };
}

/** What to tell the user once the mock listens: where it is, and how to point the client, the CLI and curl at it. */
export function mockBanner(url: string): string {
  const { account, apiKey } = MOCK_CREDENTIALS;
  return `
Simulated IP1 NKI API on ${url}. Ctrl-C stops it.
Any well-formed credentials pass; a missing or garbled Authorization gets a 401, an invalid body a 400 naming the fields.
Each send answers one record per distinct phone.

  Library:  createIp1Client({ baseUrl: "${url}", account: "${account}", apiKey: "${apiKey}" })
  CLI/env:  IP1_BASE_URL=${url} IP1_ACCOUNT=${account} IP1_API_KEY=${apiKey} npx ip1-nki send …
  Scenarios, per request: header ${SCENARIO_HEADER} with JSON such as {"failed":{"+46701234567":52}},
    {"blacklisted":["+46701234567"]}, {"rateLimited":{"retryAfterSeconds":5}}, {"noCredits":true},
    {"serverError":{"status":503}}, {"hang":true}, {"reset":true}, {"dropped":true}; or Prism's "Prefer: code=403" (400, 401, 429, 5xx).
  Sent log: GET /api/sms/sent?to=+46701234567, /api/sms/sent/{id}, /api/sms/sent/bundle/{bundle}; statuses move on
    (0 → 21 → 22) only in simulated time.
  Control (no credentials):
${CONTROL_ROUTES.map(([method, path, what]) => `    ${`${method} ${path}`.padEnd(32)} ${what}`).join("\n")}
`;
}
