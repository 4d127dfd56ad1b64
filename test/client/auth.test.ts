// Credentials (options, environment, what is missing) and which URLs they may be sent to.
import { createIp1Client, Ip1ConfigurationError } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { account, apiKey, body, json, scriptedFetch } from "./support.js";

const basic = `Basic ${Buffer.from(`${account}:${apiKey}`).toString("base64")}`;

async function authorizationSent(options: Parameters<typeof createIp1Client>[0]) {
  const { fetch, requests } = scriptedFetch(json(200, []));
  await createIp1Client({ baseUrl: "https://api.test", ...options, fetch }).sendNki(1, body());
  return { authorization: requests[0]?.request.headers.get("authorization"), url: requests[0]?.request.url };
}

describe("credentials", () => {
  it("sends account + apiKey as Basic auth (account id as user, API key as password)", async () => {
    expect((await authorizationSent({ account, apiKey, env: {} })).authorization).toBe(basic);
  });

  it("sends a token as Bearer", async () => {
    expect((await authorizationSent({ token: "tok-1", env: {} })).authorization).toBe("Bearer tok-1");
  });

  it("falls back to IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN, from the environment", async () => {
    const fromAccount = await authorizationSent({ env: { IP1_ACCOUNT: account, IP1_API_KEY: apiKey } });
    expect(fromAccount.authorization).toBe(basic);
    const fromToken = await authorizationSent({ env: { IP1_TOKEN: "env-token" } });
    expect(fromToken.authorization).toBe("Bearer env-token");
  });

  it("reads process.env when no env is given", async () => {
    const saved = { ...process.env };
    try {
      process.env.IP1_TOKEN = "process-token";
      delete process.env.IP1_ACCOUNT;
      delete process.env.IP1_API_KEY;
      expect((await authorizationSent({})).authorization).toBe("Bearer process-token");
    } finally {
      for (const key of ["IP1_TOKEN", "IP1_ACCOUNT", "IP1_API_KEY"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("takes credentials from the options as a whole, never half from the environment", async () => {
    const env = { IP1_API_KEY: "from-env", IP1_TOKEN: "env-token" };
    expect(() => createIp1Client({ account, env })).toThrow(
      "IP1 apiKey missing: credentials come all from the options or all from the environment, never half from each " +
        "(the options give account, so IP1_API_KEY in the environment is not used).",
    );
    expect((await authorizationSent({ token: "option-token", env })).authorization).toBe("Bearer option-token");
  });

  it("sends a caller's Authorization header, of any scheme, as the credential (options win over the environment)", async () => {
    const env = { IP1_TOKEN: "env-token" };
    for (const headers of [
      { authorization: "Token tok-2" },
      new Headers({ Authorization: "Token tok-2" }),
      [["Authorization", "Token tok-2"]] as [string, string][],
    ]) {
      expect((await authorizationSent({ headers, env })).authorization).toBe("Token tok-2");
    }
  });

  it.each([
    [{ token: "tok-1" }, "token"],
    [{ account, apiKey }, "account and apiKey"],
    [{ apiKey }, "apiKey"],
  ])("refuses an Authorization header alongside %o, naming both and never a value", (credentials, names) => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const error = (() => {
      try {
        createIp1Client({ ...credentials, headers: { Authorization: "Bearer SECRET-1" }, env: {}, fetch });
      } catch (caught) {
        return caught as Ip1ConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    expect(error?.message).toBe(
      `Both headers.Authorization and ${names} are given: two credentials are ambiguous. Give one: ` +
        "{ account, apiKey } or { token }, or an Authorization header alone.",
    );
    expect(`${error?.message} ${JSON.stringify(error)}`).not.toMatch(/SECRET|tok-1|DO-NOT-LEAK/);
    expect(requests).toHaveLength(0);
  });

  it.each([
    ["empty", "", /^headers\.Authorization is empty: give the credential/],
    ["with a trailing newline", "Bearer SECRET-2\n", /^headers\.Authorization cannot be sent in a header/],
    [
      "with a newline inside",
      "Bearer SECRET\n-2",
      /^Invalid client options: headers\["Authorization"\] cannot be sent/,
    ],
    ["outside printable ASCII", "Bearer SECRET-å", /^headers\.Authorization cannot be sent in a header/],
  ])("refuses an Authorization header %s as it refuses such a token, never quoting it", (_, value, message) => {
    const error = (() => {
      try {
        createIp1Client({ headers: { Authorization: value }, env: {} });
      } catch (caught) {
        return caught as Ip1ConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    expect(error?.message).toMatch(message);
    expect(`${error?.message} ${error?.stack} ${JSON.stringify(error)}`).not.toContain("SECRET");
  });

  it("refuses any client header a request cannot carry, naming it and never quoting its value", () => {
    expect(() => createIp1Client({ token: "tok-1", headers: { "X-Api-Key": "key\nSECRET" }, env: {} })).toThrow(
      'Invalid client options: headers["X-Api-Key"] cannot be sent: its name or value holds a character a header ' +
        "cannot (such as a newline).",
    );
  });

  it("says exactly what is missing, and how to set it", () => {
    expect(() => createIp1Client({ env: {} })).toThrow(Ip1ConfigurationError);
    expect(() => createIp1Client({ env: {} })).toThrow(
      "IP1 credentials missing: credentials come all from the options or all from the environment, never half from " +
        "each. Pass { account, apiKey } or { token } to createIp1Client, or pass none of them and set IP1_ACCOUNT and " +
        "IP1_API_KEY, or IP1_TOKEN, in the environment.",
    );
    expect(() => createIp1Client({ env: { IP1_ACCOUNT: account } })).toThrow(/IP1 apiKey missing/);
    expect(() => createIp1Client({ apiKey, env: {} })).toThrow(/IP1 account missing/);
    expect(() => createIp1Client({ account: "", apiKey: "", env: {} })).toThrow(/IP1 credentials missing/);
  });
});

describe("base URL", () => {
  it("defaults to https://api.ip1sms.com, or IP1_BASE_URL", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    await createIp1Client({ token: "t", env: {}, fetch }).sendNki(1, body());
    await createIp1Client({ token: "t", env: { IP1_BASE_URL: "https://eu.ip1.test/" }, fetch }).sendNki(2, body());
    expect(requests.map(({ request }) => request.url)).toEqual([
      "https://api.ip1sms.com/api/nkis/1/users/send",
      "https://eu.ip1.test/api/nkis/2/users/send",
    ]);
  });

  it.each(["http://127.0.0.1:4010", "http://127.8.9.10", "http://localhost:4010", "http://[::1]:4010"])(
    "allows http to the loopback host %s",
    async (baseUrl) => {
      expect((await authorizationSent({ token: "t", env: {}, baseUrl })).url).toBe(`${baseUrl}/api/nkis/1/users/send`);
    },
  );

  it.each([
    "http://api.ip1sms.com",
    "http://10.0.0.1",
    "http://128.0.0.1",
    "http://localhost.example.com",
    "ftp://127.0.0.1",
  ])("refuses %s before any network activity", (baseUrl) => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    expect(() => createIp1Client({ token: "t", env: {}, baseUrl, fetch })).toThrow(
      /Refusing to send IP1 credentials to .*: use https \(http is allowed only for loopback hosts/,
    );
    expect(requests).toHaveLength(0);
  });

  it("refuses an unsafe per-call baseUrl on the raw client before fetch is called", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const client = createIp1Client({ token: "t", env: {}, baseUrl: "https://api.test", fetch });
    await expect(
      client.raw.POST("/api/nkis/{nki}/users/send", {
        baseUrl: "http://evil.example",
        params: { path: { nki: 1 } },
        body: body(),
      }),
    ).rejects.toThrow(/Refusing to send IP1 credentials to http:\/\/evil\.example/);
    expect(requests).toHaveLength(0);
  });

  it("refuses a base URL that is not a URL", () => {
    expect(() => createIp1Client({ token: "t", env: {}, baseUrl: "api.ip1sms.com" })).toThrow(Ip1ConfigurationError);
  });
});

describe("credential values, checked when the client is made", () => {
  it.each([
    ["a token with a newline", { token: "tok-SECRET\n" }, "token"],
    ["a token with a NUL", { token: "tok\u0000SECRET" }, "token"],
    ["an API key outside ASCII", { account, apiKey: "nyckel-SECRET-å" }, "apiKey"],
    ["an API key with a trailing space", { account, apiKey: "key-SECRET " }, "apiKey"],
    ["an account with a carriage return", { account: "ip1-1\r", apiKey: "key-SECRET" }, "account"],
  ])("refuses %s, naming the option and never the value", (_, credentials, name) => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const error = (() => {
      try {
        createIp1Client({ ...credentials, env: {}, baseUrl: "https://api.test", fetch });
      } catch (caught) {
        return caught as Ip1ConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(Ip1ConfigurationError);
    expect(error?.message).toMatch(new RegExp(`^${name} cannot be sent in a header`));
    expect(`${error?.message} ${error?.stack} ${JSON.stringify(error)}`).not.toContain("SECRET");
    expect(requests).toHaveLength(0);
  });

  it("names the environment variable when the value came from there", () => {
    expect(() => createIp1Client({ env: { IP1_TOKEN: "tok\nSECRET" }, baseUrl: "https://api.test" })).toThrow(
      /^IP1_TOKEN \(environment\) cannot be sent in a header/,
    );
    expect(() =>
      createIp1Client({ env: { IP1_ACCOUNT: "a:b", IP1_API_KEY: "k" }, baseUrl: "https://api.test" }),
    ).toThrow('IP1_ACCOUNT (environment) must not contain ":"');
  });

  it.each([
    "https://ip1-12345:key-SECRET@api.ip1sms.com",
    "http://ip1-12345:key-SECRET@127.0.0.1:8080",
    "https://key-SECRET@api.ip1sms.com",
  ])("refuses user info in the base URL (%s), without repeating it", (baseUrl) => {
    try {
      createIp1Client({ token: "t", env: {}, baseUrl });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Ip1ConfigurationError);
      expect((error as Error).message).toMatch(/^The base URL must not contain user info/);
      expect((error as Error).message).not.toContain("SECRET");
    }
  });
});
