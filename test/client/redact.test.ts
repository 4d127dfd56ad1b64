// Redaction of the client's credentials from server-derived text: every form a server might echo.
import { describe, expect, it } from "vitest";
import { createRedactor, redactedMark, secretsOfCredential } from "../../src/redact.js";

const account = "ip1-12345";
const apiKey = "sk-SECRET/+=42";
const basic = `Basic ${btoa(`${account}:${apiKey}`)}`;

describe("secretsOfCredential + createRedactor", () => {
  const redactor = createRedactor(secretsOfCredential(basic));

  it.each([
    ["the header", basic],
    ["the API key", apiKey],
    ["account:apiKey", `${account}:${apiKey}`],
    ["the base64", btoa(`${account}:${apiKey}`)],
    ["the base64url", btoa(`${account}:${apiKey}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")],
    ["the URL-encoded key", encodeURIComponent(apiKey)],
  ])("removes %s from text", (_, secret) => {
    const redacted = redactor.text(`before ${secret} after ${secret}`);
    expect(redacted).not.toContain(apiKey);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain(redactedMark);
  });

  it("leaves a credential of fewer than 4 characters alone, which would garble every message and show itself", () => {
    const garbled = createRedactor(secretsOfCredential(`Basic ${btoa("g")}`));
    expect(garbled.value({ Message: "Authorization has been denied" })).toEqual({
      Message: "Authorization has been denied",
    });
    expect(createRedactor(["abcd"]).text("xabcdx")).toBe(`x${redactedMark}x`);
  });

  it("removes a bearer token and its base64", () => {
    const bearer = createRedactor(secretsOfCredential("Bearer tok-SECRET"));
    expect(bearer.text(`x tok-SECRET y ${btoa("tok-SECRET")}`)).toBe(`x ${redactedMark} y ${redactedMark}`);
  });

  it("redacts parsed JSON (strings and keys), so an escaped secret cannot slip through", () => {
    const escaped = JSON.parse(`{"Message":"${apiKey.replace("S", "\\u0053")}","${apiKey}":[1,"${apiKey}"]}`);
    expect(JSON.stringify(redactor.value(escaped))).not.toContain("SECRET");
  });

  it("redacts header values and drops headers whose name holds a secret (names arrive lowercased)", () => {
    const bearer = createRedactor(secretsOfCredential("Bearer tok-SECRET"));
    const headers = new Headers({ "x-echo": "Bearer tok-SECRET", "x-fine": "ok", "x-tok-SECRET": "1" });
    const kept: [string, string][] = [];
    bearer.headers(headers).forEach((value, name) => {
      kept.push([name, value]);
    });
    expect(kept).toEqual([
      ["x-echo", redactedMark],
      ["x-fine", "ok"],
    ]);
  });

  it("finds the credential after any scheme, in any case, or takes a bare value whole (a header such as X-Api-Key)", () => {
    const lower = createRedactor(secretsOfCredential(`basic  ${btoa(`${account}:${apiKey}`)}`));
    expect(lower.text(`key ${apiKey}`)).toBe(`key ${redactedMark}`);
    const scheme = createRedactor(secretsOfCredential("ApiKey key-SECRET-9"));
    expect(scheme.text(`x key-SECRET-9 ${btoa("key-SECRET-9")}`)).toBe(`x ${redactedMark} ${redactedMark}`);
    const bare = createRedactor(secretsOfCredential("bare-SECRET/+"));
    expect(bare.text(`x ${encodeURIComponent("bare-SECRET/+")} ${btoa("bare-SECRET/+")}`)).toBe(
      `x ${redactedMark} ${redactedMark}`,
    );
  });

  it("widens to a call's secrets and still removes the client's", () => {
    const widened = redactor.widen(secretsOfCredential("call-SECRET-7"));
    expect(widened.text(`${apiKey} call-SECRET-7`)).toBe(`${redactedMark} ${redactedMark}`);
    expect(redactor.text("call-SECRET-7")).toBe("call-SECRET-7");
    expect(redactor.widen([])).toBe(redactor);
  });

  it("leaves text without secrets unchanged", () => {
    expect(redactor.text("No credits left on the account.")).toBe("No credits left on the account.");
  });
});
