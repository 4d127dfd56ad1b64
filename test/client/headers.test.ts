// Headers: defaults, auth and user agent, client headers and per-call headers, merged with "last wins, null removes".
import { readFileSync } from "node:fs";
import { VERSION } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { isSecretHeader } from "../../src/headers.js";
import { body, json, scriptedFetch, testClient } from "./support.js";

describe("headers", () => {
  it("sends User-Agent ip1-nki/<version>, where VERSION equals package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(version);
    const { fetch, requests } = scriptedFetch(json(200, []));
    await testClient(fetch).sendNki(1, body());
    expect(requests[0]?.request.headers.get("user-agent")).toBe(`ip1-nki/${version}`);
  });

  it("lets userAgent and client headers override the defaults, and per-call headers override both", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const client = testClient(fetch, { userAgent: "acme-crm/2", headers: { "X-Team": "crm", "X-Trace": "client" } });
    await client.sendNki(1, body(), { headers: { "X-Trace": "call", Prefer: "code=200" } });
    const headers = requests[0]?.request.headers;
    expect(headers?.get("user-agent")).toBe("acme-crm/2");
    expect(headers?.get("x-team")).toBe("crm");
    expect(headers?.get("x-trace")).toBe("call");
    expect(headers?.get("prefer")).toBe("code=200");
  });

  it("removes a header given as null, even Authorization, per call or per client", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    await testClient(fetch, { headers: { Accept: null } }).sendNki(1, body(), { headers: { Authorization: null } });
    expect(requests[0]?.request.headers.has("authorization")).toBe(false);
    expect(requests[0]?.request.headers.has("accept")).toBe(false);
    expect(requests[0]?.request.headers.get("content-type")).toBe("application/json");
  });

  it("reads headers given as a list of pairs by name, per client and per call (never as a header named 0)", async () => {
    const { fetch, requests } = scriptedFetch(json(200, []));
    const client = testClient(fetch, {
      account: undefined,
      apiKey: undefined,
      headers: [
        ["Authorization", "Token tok-1"],
        ["X-Team", "crm"],
        ["X-Team", "ops"],
      ],
    });
    await client.sendNki(1, body(), { headers: [["X-Trace", "call"]] });
    const headers = requests[0]?.request.headers;
    expect(headers?.get("authorization")).toBe("Token tok-1");
    expect(headers?.get("x-team")).toBe("crm, ops");
    expect(headers?.get("x-trace")).toBe("call");
    expect(headers?.has("0")).toBe(false);
  });

  it("takes Authorization, Proxy-Authorization and names saying key, token, secret, signature, password or cookie as secrets", () => {
    const secret = [
      "Authorization",
      "proxy-authorization",
      "X-Api-Key",
      "api_key",
      "X-Auth-Token",
      "X-Client-Secret",
      "X-Signature",
      "Ocp-Apim-Subscription-Key",
      "X-Authorization",
      "X-Password",
      "Cookie",
    ];
    const plain = ["Accept", "User-Agent", "X-Trace", "Prefer", "Content-Type"];
    expect(secret.filter(isSecretHeader)).toEqual(secret);
    expect(plain.filter(isSecretHeader)).toEqual([]);
  });
});
