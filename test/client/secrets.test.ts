// Credentials never show: not in any error's message, stack, JSON or util.inspect, nor in util.inspect of a client.
import { inspect } from "node:util";
import { createIp1Client, type Ip1Error } from "ip1-nki";
import { describe, expect, it } from "vitest";
import {
  account,
  apiKey,
  body,
  closedPort,
  json,
  networkError,
  rejectionOf,
  scriptedFetch,
  testClient,
} from "./support.js";

const token = "tok-SECRET-never-shown";
// Given as headers: X-Api-Key and X-Signature are secrets by their names.
const headerKey = "hdr-KEY-never-shown";
const signature = "sig-SIGNATURE-never-shown";
const secrets = [
  apiKey,
  token,
  headerKey,
  signature,
  Buffer.from(`${account}:${apiKey}`).toString("base64"),
  "Basic ",
  "Bearer ",
];

function expectNoSecrets(text: string) {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function expectErrorWithoutSecrets(error: unknown) {
  expect(error).toBeInstanceOf(Error);
  const e = error as Ip1Error;
  expectNoSecrets(e.message);
  expectNoSecrets(e.stack ?? "");
  expectNoSecrets(JSON.stringify(e));
  expectNoSecrets(inspect(e, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
}

describe("secrets", () => {
  it("are absent from util.inspect of a client and of its raw client", () => {
    for (const client of [
      createIp1Client({ account, apiKey, env: {} }),
      createIp1Client({ token, env: {} }),
      createIp1Client({ env: { IP1_ACCOUNT: account, IP1_API_KEY: apiKey } }),
      createIp1Client({ headers: { Authorization: `Bearer ${token}`, "X-Api-Key": headerKey }, env: {} }),
    ]) {
      expectNoSecrets(inspect(client, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
      expectNoSecrets(inspect(client.raw, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
      expectNoSecrets(JSON.stringify(client));
    }
  });

  it("are absent from API errors, even when the server echoes nothing of them", async () => {
    const { fetch } = scriptedFetch(json(401, { Message: "Authorization has been denied for this request." }));
    expectErrorWithoutSecrets(await rejectionOf(testClient(fetch).sendNki(1, body())));
    const html = scriptedFetch(new Response("<h1>502</h1>", { status: 502 }));
    expectErrorWithoutSecrets(await rejectionOf(testClient(html.fetch, { token }).sendNki(1, body())));
  });

  it("are absent from API errors when given as headers, at client level or per call, and echoed back", async () => {
    // The server echoes every request header, in its body's Message and in its own headers.
    const echo = (request: Request) => {
      const sent: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        sent[name] = value;
      });
      const echoed = Object.fromEntries(Object.entries(sent).map(([name, value]) => [`x-echo-${name}`, value]));
      return Promise.resolve(json(400, { Message: `you sent ${JSON.stringify(sent)}`, sent }, echoed));
    };
    const headerClient = testClient(echo, {
      account: undefined,
      apiKey: undefined,
      headers: { Authorization: `Token ${token}`, "X-Api-Key": headerKey },
    });
    const error = await rejectionOf(headerClient.sendNki(1, body(), { headers: { "X-Signature": signature } }));
    expect(JSON.stringify(error)).toContain("[redacted]");
    expectErrorWithoutSecrets(error);
    // A per-call Authorization replaces the client's for that call, and is a secret in that call's errors.
    const perCall = await rejectionOf(
      testClient(echo).sendNki(1, body(), { headers: new Headers({ authorization: `Bearer ${token}` }) }),
    );
    expect(JSON.stringify(perCall)).toContain("[redacted]");
    expectErrorWithoutSecrets(perCall);
  });

  it("are absent from connection, timeout, abort and validation errors", async () => {
    const port = await closedPort();
    const refused = testClient(globalThis.fetch, { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    expectErrorWithoutSecrets(await rejectionOf(refused.sendNki(1, body())));

    const reset = scriptedFetch(networkError("ECONNRESET"));
    expectErrorWithoutSecrets(await rejectionOf(testClient(reset.fetch).sendNki(1, body())));

    const hanging = scriptedFetch(
      (request) =>
        new Promise<Response>((_, reject) =>
          request.signal.addEventListener("abort", () => reject(request.signal.reason)),
        ),
    );
    expectErrorWithoutSecrets(await rejectionOf(testClient(hanging.fetch, { timeoutMs: 5 }).sendNki(1, body())));
    expectErrorWithoutSecrets(
      await rejectionOf(testClient(hanging.fetch).sendNki(1, body(), { signal: AbortSignal.timeout(5) })),
    );

    const { fetch } = scriptedFetch(json(200, []));
    const invalid = { ...body(), From: apiKey.repeat(10), Users: [{ FirstName: token, Phone: apiKey }] };
    expectErrorWithoutSecrets(await rejectionOf(testClient(fetch).sendNki(1, invalid)));
  });

  it("are absent from configuration errors, even with credentials in the URL", () => {
    const unsafe = (() => {
      try {
        createIp1Client({ account, apiKey, env: {}, baseUrl: `http://${account}:${apiKey}@example.com` });
      } catch (error) {
        return error;
      }
    })();
    expect((unsafe as Error).message).toBe(
      "The base URL must not contain user info (user:password@ before example.com): pass credentials as " +
        "{ account, apiKey } or { token }, or in IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN.",
    );
    expectErrorWithoutSecrets(unsafe);
    const missing = (() => {
      try {
        createIp1Client({ apiKey, env: {} });
      } catch (error) {
        return error;
      }
    })();
    expectErrorWithoutSecrets(missing);
  });
});
