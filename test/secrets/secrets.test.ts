// Secret hygiene: every error path runs with a known API key, Basic and Bearer, and the key, its base64 forms and
// the Authorization header appear nowhere a caller could see or log them: error.message, error.stack,
// JSON.stringify(error), util.inspect(error) and util.inspect(client) (both with depth Infinity and showHidden), and
// anything the process wrote to stdout or stderr.
import { beforeAll, describe, expect, it } from "vitest";
import { faultCatalog } from "../faults/catalog.js";
import { basicCredentials, type ChildExit, type Observed, runFaultCases, validBody } from "../faults/harness.js";
import type { ChildScenario } from "../faults/scenario-child.js";
import { suitePrism } from "../support/suite-prism.js";

const { account, apiKey } = basicCredentials;
const token = apiKey;
const base64 = (text: string) => Buffer.from(text).toString("base64");
const base64url = (text: string) => Buffer.from(text).toString("base64url");
const secrets = [
  apiKey,
  base64(`${account}:${apiKey}`),
  base64url(`${account}:${apiKey}`),
  base64(token),
  base64url(token),
  `Bearer ${token}`,
];

const prismUrl = await suitePrism();

/** Error paths that need no misbehaving server: Prism's documented errors, bad input, bad config, the caller's abort. */
function otherPaths(credentials: ChildScenario["client"]): ChildScenario[] {
  const client = { ...credentials, baseUrl: prismUrl, maxRetries: 0 };
  return [
    {
      id: "401 from Prism (Authorization removed per call)",
      client,
      body: validBody,
      send: { headers: { Authorization: null } },
    },
    { id: "403 from Prism", client, body: validBody, send: { headers: { Prefer: "code=403" } } },
    { id: "400 from Prism", client, body: validBody, send: { headers: { Prefer: "code=400" } } },
    { id: "invalid input", client, body: { ...validBody, From: 42, Users: [{ Phone: `+46${"7".repeat(20)}` }] } },
    { id: "nki not an int32", client, nki: 2 ** 31, body: validBody },
    { id: "aborted before sending", client, body: validBody, send: { preAborted: true } },
    { id: "http to a non-loopback host", client: { ...client, baseUrl: "http://api.ip1sms.com" }, body: validBody },
    {
      id: "the key in the base URL's user info",
      client: { ...client, baseUrl: `http://${account}:${apiKey}@api.ip1sms.com` },
      body: validBody,
    },
    {
      id: "a base URL that is not a URL, containing the key",
      client: { ...client, baseUrl: `::${apiKey}::` },
      body: validBody,
    },
  ];
}

const runs = [
  ["Basic", { account, apiKey }],
  ["Bearer", { token }],
] as const;

type Run = { observed: Map<string, Observed>; exit: ChildExit };
const finished = new Map<string, Run>();
beforeAll(async () => {
  // Both schemes at once: each child spends most of its time waiting on servers, not on the CPU.
  await Promise.all(
    runs.map(async ([scheme, credentials]) => {
      finished.set(scheme, await runFaultCases(faultCatalog, credentials, otherPaths(credentials)));
    }),
  );
});

describe.each(runs)("%s credentials", (scheme) => {
  const run = () => finished.get(scheme);

  it("every error path really ran and was rendered every way (so the search below is not vacuous)", () => {
    const failed = [...(run()?.observed.values() ?? [])].filter(({ result }) => !result.ok);
    const names = new Set(failed.map(({ result }) => result.error?.name));
    for (const name of [
      "Ip1RateLimitError",
      "Ip1ServerError",
      "Ip1TimeoutError",
      "Ip1ConnectionError",
      "Ip1ApiError",
      "Ip1AuthenticationError",
      "Ip1NoCreditsError",
      "Ip1BadRequestError",
      "Ip1ValidationError",
      "Ip1AbortError",
      "Ip1ConfigurationError",
    ]) {
      expect(names).toContain(name);
    }
    // message, stack, JSON, inspect(error), inspect(client) — the client is absent only when it could not be made.
    for (const { result } of failed) expect(result.renderings.length).toBeGreaterThanOrEqual(4);
  });

  it("no secret appears in any rendering of any error or of the client, nor anywhere in stdout or stderr", () => {
    const output = run()?.exit.output ?? "";
    expect(output.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      const at = output.indexOf(secret);
      expect(at, `"${secret}" found in: …${output.slice(Math.max(0, at - 300), at + 100)}…`).toBe(-1);
    }
  });

  it("the process exits by itself, with no unhandled rejection", () => {
    expect(run()?.exit.unhandled).toEqual([]);
    expect(run()?.exit.code).toBe(0);
  });
});
