import { describe, expect, it } from "vitest";
import { Ip1ConfigurationError } from "../../src/errors.js";
import { canonicalTarget } from "../../src/ledger/target.js";

describe("canonicalTarget", () => {
  it("is the origin in lower case, without the default port, a path, user info or a trailing dot", () => {
    for (const spelling of [
      "https://api.ip1sms.com",
      "https://API.IP1SMS.COM",
      "HTTPS://api.ip1sms.com:443/",
      "https://api.ip1sms.com/api/nkis?x=1",
      "https://api.ip1sms.com./",
    ]) {
      expect(canonicalTarget(spelling), spelling).toBe("https://api.ip1sms.com");
    }
    expect(canonicalTarget("http://example.test:80")).toBe("http://example.test");
  });

  it("keeps a port other than the default, and the scheme", () => {
    expect(canonicalTarget("https://api.ip1sms.com:8443")).toBe("https://api.ip1sms.com:8443");
    expect(canonicalTarget("http://api.ip1sms.com")).not.toBe(canonicalTarget("https://api.ip1sms.com"));
  });

  it("writes every loopback spelling of one port as one target, and keeps ports apart", () => {
    const spellings = [
      "http://localhost:8080",
      "http://LOCALHOST:8080/",
      "http://127.0.0.1:8080",
      "http://127.1.2.3:8080",
      "http://[::1]:8080",
      "http://0x7f.0.0.1:8080",
      "http://localhost.:8080",
    ];
    for (const spelling of spellings) expect(canonicalTarget(spelling), spelling).toBe("http://127.0.0.1:8080");
    expect(canonicalTarget("http://localhost:8081")).toBe("http://127.0.0.1:8081");
  });

  it("names a simulator mock:<name>, in lower case", () => {
    expect(canonicalTarget("mock:Simulator")).toBe("mock:simulator");
    expect(() => canonicalTarget("mock:")).toThrow(Ip1ConfigurationError);
  });

  it("refuses what is not an http(s) URL, naming the fix", () => {
    expect(() => canonicalTarget("api.ip1sms.com")).toThrow(/not a valid URL.*https:\/\/api\.ip1sms\.com/);
    expect(() => canonicalTarget("ftp://api.ip1sms.com")).toThrow(/http or https URL, not ftp:/);
  });
});
