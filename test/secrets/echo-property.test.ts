// A hostile server echoes the client's own secrets back, in random forms and random places: the JSON Message of a
// 400 or 500, a plain-text or HTML body, a header, or the garbage of a 200. Whatever the credentials (random API
// keys and tokens, any printable ASCII), no error message, stack, JSON or util.inspect rendering, and nothing the
// CLI prints or journals, may contain any form of a secret.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { createIp1Client } from "ip1-nki";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli, send, workDir } from "../cli/support.js";
import { type FaultServer, type SeenRequest, startFaultServer } from "../support/fault-server.js";

type Credentials = { account: string; apiKey: string } | { token: string };

/** Where and how the server puts the secret it read from the request. */
interface Echo {
  status: 400 | 500 | 200;
  place: "message" | "text" | "html" | "header";
  form: "authorization" | "credential" | "secret" | "json" | "url";
}

// Printable ASCII without a space at either end: what the client accepts as a credential.
const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 12,
  maxLength: 40,
});
const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  fc.record({ account: fc.stringMatching(/^ip1-[0-9]{3,8}$/), apiKey: printable }),
  fc.record({ token: printable }),
);
const echoes: fc.Arbitrary<Echo> = fc.record({
  status: fc.constantFrom(400, 500, 200),
  place: fc.constantFrom("message", "text", "html", "header"),
  form: fc.constantFrom("authorization", "credential", "secret", "json", "url"),
});

const base64 = (text: string) => Buffer.from(text).toString("base64");
const base64url = (text: string) => Buffer.from(text).toString("base64url");

/** Every form of the credentials a leak would show. */
function secretsOf(credentials: Credentials): string[] {
  if ("token" in credentials) return [credentials.token, base64(credentials.token), base64url(credentials.token)];
  const pair = `${credentials.account}:${credentials.apiKey}`;
  return [credentials.apiKey, base64(pair), base64url(pair)];
}

/** The text the server echoes, taken from the Authorization the request carried. */
function echoed(authorization: string, form: Echo["form"]): string {
  const [scheme, credential = ""] = authorization.split(" ");
  const secret =
    scheme === "Basic"
      ? Buffer.from(credential, "base64")
          .toString()
          .replace(/^[^:]*:/, "")
      : credential;
  if (form === "authorization") return authorization;
  if (form === "credential") return credential;
  if (form === "json") return JSON.stringify(secret).slice(1, -1);
  if (form === "url") return encodeURIComponent(secret);
  return secret;
}

let plan: Echo = { status: 400, place: "message", form: "secret" };
function answer(request: SeenRequest): { answer: number; body: string; headers?: Record<string, string> } {
  const text = `you sent ${echoed(String(request.headers.authorization), plan.form)} here`;
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

it("no rendering of the error contains a secret the server echoed", async () => {
  let echoesReached = 0;
  await fc.assert(
    fc.asyncProperty(credentials, echoes, async (credentials, echo) => {
      plan = echo;
      const client = createIp1Client({ ...credentials, baseUrl: server.url, maxRetries: 0, env: {} });
      const error = await client.sendNki(42, body).then(
        () => expect.unreachable("the server never answers with records"),
        (caught: Error) => caught,
      );
      const renderings = [error.message, String(error.stack), JSON.stringify(error), inspect(error, full)];
      if (renderings.join("").includes("[redacted]")) echoesReached++;
      expect(leaked(renderings, secretsOf(credentials)), renderings.join("\n---\n")).toEqual([]);
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
