// A hostile server echoes everything it was sent back, every request header included, in random forms and random
// places: the JSON Message of a 400 or 500, a plain-text or HTML body, one header or one header per request header,
// or the garbage of a 200. Whatever the credentials (random API keys and tokens, any printable ASCII), whether given
// as options or as headers (an Authorization of any scheme, or a secret-looking header such as X-Api-Key, at client
// level or per call), no error message, stack, JSON or util.inspect rendering, and nothing the CLI prints or
// journals, may contain any form of a secret.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { createIp1Client } from "ip1-nki";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli, send, workDir } from "../cli/support.js";
import { type FaultServer, type SeenRequest, startFaultServer } from "../support/fault-server.js";

type Credentials = { account: string; apiKey: string } | { token: string };

/** The IP1 credential as options, or as the caller's own Authorization header; and one more secret header. */
interface Given {
  credentials: Credentials | { authorization: string };
  /** A secret-looking header (X-Api-Key, …), given to the client or to the call. */
  secretHeader: { name: string; value: string; level: "client" | "call" };
  /** An Authorization for this call only, replacing the client's credential. */
  callAuthorization: string | undefined;
}

/** Where and how the server puts what it read from the request. */
interface Echo {
  status: 400 | 500 | 200;
  place: "message" | "text" | "html" | "header" | "headers";
  form: "whole" | "credential" | "secret" | "json" | "url";
}

// Printable ASCII without a space at either end: what the client accepts as a credential.
const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 12,
  maxLength: 40,
});
const accountId = fc.stringMatching(/^ip1-[0-9]{3,8}$/);
const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  fc.record({ account: accountId, apiKey: printable }),
  fc.record({ token: printable }),
);
// Any scheme, or none: a caller-given Authorization is sent as given.
const authorization: fc.Arbitrary<string> = fc.oneof(
  printable.map((token) => `Bearer ${token}`),
  fc.tuple(fc.constantFrom("Token", "ApiKey", "bearer"), printable).map(([scheme, key]) => `${scheme} ${key}`),
  fc.tuple(accountId, printable).map(([account, key]) => `Basic ${base64(`${account}:${key}`)}`),
  printable,
);
const given: fc.Arbitrary<Given> = fc.record({
  credentials: fc.oneof(credentials, fc.record({ authorization })),
  secretHeader: fc.record({
    name: fc.constantFrom(
      "X-Api-Key",
      "X-Auth-Token",
      "X-Client-Secret",
      "X-Signature",
      "Proxy-Authorization",
      "Ocp-Apim-Subscription-Key",
      "api_key",
    ),
    value: fc.oneof(printable, authorization),
    level: fc.constantFrom("client", "call"),
  }),
  callAuthorization: fc.option(authorization, { nil: undefined }),
});
const echoes: fc.Arbitrary<Echo> = fc.record({
  status: fc.constantFrom(400, 500, 200),
  place: fc.constantFrom("message", "text", "html", "header", "headers"),
  form: fc.constantFrom("whole", "credential", "secret", "json", "url"),
});

const base64 = (text: string) => Buffer.from(text).toString("base64");
const base64url = (text: string) => Buffer.from(text).toString("base64url");

/** A header value split into its scheme (empty when none) and credential, and the secret (Basic's key alone). */
function partsOf(value: string): { credential: string; secret: string } {
  const space = value.indexOf(" ");
  const [scheme, credential] = space < 0 ? ["", value] : [value.slice(0, space), value.slice(space + 1)];
  const secret =
    scheme.toLowerCase() === "basic"
      ? Buffer.from(credential, "base64")
          .toString()
          .replace(/^[^:]*:/, "")
      : credential;
  return { credential, secret };
}

/** Every form of one secret a leak would show. */
const formsOf = (secret: string) => [
  secret,
  base64(secret),
  base64url(secret),
  JSON.stringify(secret).slice(1, -1),
  encodeURIComponent(secret),
];

/** Every form of the credentials a leak would show. */
function secretsOf(credentials: Credentials): string[] {
  if ("token" in credentials) return formsOf(credentials.token);
  return [...formsOf(credentials.apiKey), ...formsOf(`${credentials.account}:${credentials.apiKey}`)];
}

/** Every form of every secret given, as options or headers. */
function secretsGiven({ credentials, secretHeader, callAuthorization }: Given): string[] {
  const headerValues = [secretHeader.value, callAuthorization ?? ""];
  if ("authorization" in credentials) headerValues.push(credentials.authorization);
  return [
    ...("authorization" in credentials ? [] : secretsOf(credentials)),
    ...headerValues
      .filter((value) => value.length > 0)
      .flatMap((value) => [value, partsOf(value).credential, partsOf(value).secret])
      .flatMap(formsOf),
  ].filter((secret) => secret.length >= 4);
}

/** The text the server echoes for one request header. */
function echoed(value: string, form: Echo["form"]): string {
  const { credential, secret } = partsOf(value);
  if (form === "whole") return value;
  if (form === "credential") return credential;
  if (form === "json") return JSON.stringify(secret).slice(1, -1);
  if (form === "url") return encodeURIComponent(secret);
  return secret;
}

let plan: Echo = { status: 400, place: "message", form: "secret" };
function answer(request: SeenRequest): { answer: number; body?: string; headers?: Record<string, string> } {
  const sent = Object.entries(request.headers).map(([name, value]): [string, string] => [
    name,
    echoed(String(value), plan.form),
  ]);
  const text = `you sent ${sent.map(([name, value]) => `${name}: ${value}`).join("; ")} and ${request.body} here`;
  if (plan.place === "headers") {
    return { answer: plan.status, headers: Object.fromEntries(sent.map(([name, value]) => [`x-echo-${name}`, value])) };
  }
  if (plan.place === "header") return { answer: plan.status, headers: { "x-echo": text }, body: "{}" };
  if (plan.place === "message") return { answer: plan.status, body: JSON.stringify({ Message: text }) };
  if (plan.place === "html")
    return { answer: plan.status, headers: { "content-type": "text/html" }, body: `<p>${text}</p>` };
  return { answer: plan.status, headers: { "content-type": "text/plain" }, body: text };
}

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({ answerWith: answer });
});
afterAll(() => server.close());

const full = { depth: Number.POSITIVE_INFINITY, showHidden: true };
const leaked = (texts: string[], secrets: string[]) =>
  secrets.filter((secret) => texts.some((text) => text.includes(secret)));

it("no rendering of the error contains a secret the server echoed, whether given as an option or a header", async () => {
  let echoesReached = 0;
  await fc.assert(
    fc.asyncProperty(given, echoes, async (given, echo) => {
      plan = echo;
      const { credentials, secretHeader, callAuthorization } = given;
      const clientHeaders: Record<string, string> = {};
      const callHeaders: Record<string, string> = {};
      if ("authorization" in credentials) clientHeaders.Authorization = credentials.authorization;
      (secretHeader.level === "client" ? clientHeaders : callHeaders)[secretHeader.name] = secretHeader.value;
      if (callAuthorization) callHeaders.Authorization = callAuthorization;
      const options = "authorization" in credentials ? {} : credentials;
      const client = createIp1Client({
        ...options,
        headers: clientHeaders,
        baseUrl: server.url,
        maxRetries: 0,
        env: {},
      });
      const error = await client.sendNki(42, body, { headers: callHeaders }).then(
        () => expect.unreachable("the server never answers with records"),
        (caught: Error) => caught,
      );
      const renderings = [error.message, String(error.stack), JSON.stringify(error), inspect(error, full)];
      if (renderings.join("").includes("[redacted]")) echoesReached++;
      expect(leaked(renderings, secretsGiven(given)), renderings.join("\n---\n")).toEqual([]);
    }),
    { numRuns: 200 },
  );
  // The property is not vacuous: the echoes did reach the errors, redacted.
  expect(echoesReached).toBeGreaterThan(100);
}, 90_000);

it("nothing the CLI prints or journals contains a secret the server echoed", async () => {
  await fc.assert(
    fc.asyncProperty(credentials, echoes, async (credentials, echo) => {
      plan = echo;
      const env =
        "token" in credentials
          ? { IP1_TOKEN: credentials.token }
          : { IP1_ACCOUNT: credentials.account, IP1_API_KEY: credentials.apiKey };
      const cwd = workDir();
      const result = await runCli([...send, "--to", "+46701234567,Anna", "--base-url", server.url], { env, cwd });
      expect(result.code).not.toBe(0);
      const journals = readdirSync(cwd).map((name) => readFileSync(join(cwd, name), "utf8"));
      const texts = [result.stdout, result.stderr, ...journals];
      expect(leaked(texts, secretsOf(credentials)), texts.join("\n---\n")).toEqual([]);
    }),
    { numRuns: 40 },
  );
}, 90_000);

const body = {
  Users: [{ FirstName: "Anna", Phone: "+46701234567" }],
  From: "Acme",
  Message: "Hur nöjd är du?",
};
