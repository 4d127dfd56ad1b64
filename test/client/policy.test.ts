// The client policy: what the spec allows but no sane send holds is refused by path, before anything is sent. The
// spec's own validators still accept every one of these requests: the policy is a separate, stricter layer.
import { createIp1Client, Ip1ConfigurationError, type Ip1ValidationError, type NkiSendRequest } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { validateSendNkiToUsersBody, validateSendNkiToUsersPathParams } from "../../generated/validators.js";
import { body, echoRecipients, json, rejectionOf, scriptedFetch, testClient, users } from "./support.js";

async function refused(nki: number, input: NkiSendRequest, options: Parameters<typeof testClient>[1] = {}) {
  const { fetch, requests } = scriptedFetch(json(200, []));
  const error = await rejectionOf<Ip1ValidationError>(testClient(fetch, options).sendNki(nki, input));
  expect(error.name).toBe("Ip1ValidationError");
  expect(error.outcome).toBe("not-sent");
  expect(requests).toHaveLength(0);
  return error.problems;
}

const specAccepts = (nki: number, input: unknown) =>
  validateSendNkiToUsersPathParams({ nki }) && validateSendNkiToUsersBody(input);

describe("client policy", () => {
  it.each([
    ["an empty Message", 42, { ...body(), Message: "" }, "Message", "must not be empty or only whitespace"],
    ["a whitespace Message", 42, { ...body(), Message: " \u00a0 " }, "Message", "must not be empty or only whitespace"],
    ["an empty From", 42, { ...body(), From: "" }, "From", "IP1's sender rule"],
    ["a 40-character From", 42, { ...body(), From: "A".repeat(40) }, "From", "IP1's sender rule"],
    ["a 12-letter From", 42, { ...body(), From: "AcmeSwedenAB" }, "From", "IP1's sender rule"],
    ["a 16-digit From", 42, { ...body(), From: "1".repeat(16) }, "From", "IP1's sender rule"],
    ["a 12-character From with a space", 42, { ...body(), From: "Bolaget AB X" }, "From", "IP1's sender rule"],
    ["a From of spaces", 42, { ...body(), From: "   " }, "From", "must not be only spaces"],
    ["a From with a TAB", 42, { ...body(), From: "Acme\tAB" }, "From", "IP1's sender rule"],
    ["a From outside ASCII", 42, { ...body(), From: "Åhléns" }, "From", "IP1's sender rule"],
    ["nki 0", 0, body(), "nki", "must be 1 or more"],
    ["nki -1", -1, body(), "nki", "must be 1 or more"],
    ["empty Users", 42, { ...body(), Users: [] }, "Users", "must not be empty"],
    [
      "a NUL in FirstName",
      42,
      body([{ FirstName: "An\u0000na", Phone: "+46701234567" }]),
      "Users[0].FirstName",
      "control characters",
    ],
    ["a NUL in Message", 42, { ...body(), Message: "Hej\u0000" }, "Message", "control characters other than"],
    ["a TAB in Message", 42, { ...body(), Message: "Hej\tAnna" }, "Message", "control characters other than"],
    ["only line breaks as Message", 42, { ...body(), Message: "\r\n\n" }, "Message", "must not be empty"],
    [
      "an LF in Extra",
      42,
      body([{ FirstName: "A", Phone: "+46701234567", Extra: "a\nb" }]),
      "Users[0].Extra",
      "control characters",
    ],
    [
      "a NUL in the phone",
      42,
      body([{ FirstName: "A", Phone: "+46701234567\u0000" }]),
      "Users[0].Phone",
      "control characters",
    ],
  ] as const)("refuses %s, which the spec allows", async (_, nki, input, path, message) => {
    expect(specAccepts(nki, input)).toBe(true);
    const problems = await refused(nki, input as NkiSendRequest);
    expect(problems.map((problem) => problem.path)).toContain(path);
    expect(problems.find((problem) => problem.path === path)?.message).toContain(message);
  });

  it("accepts senders at IP1 v1's edges: 11 printable ASCII characters, 15 digits, IP1's own example", async () => {
    for (const From of ["Acme2026ABC", "123456789012345", "A", "iP.1", "Ice-Shop", "Bolaget AB", "A&B (c) ~ok"]) {
      const { fetch, requests } = scriptedFetch(echoRecipients());
      await testClient(fetch).sendNki(42, { ...body(), From });
      expect(requests, From).toHaveLength(1);
    }
  });

  it("sends a message with line breaks (LF and CRLF), as written", async () => {
    const Message = "Hej Anna,\nhur nöjd var du?\r\nSvara 1–5.";
    const { fetch, requests } = scriptedFetch(echoRecipients());
    await testClient(fetch).sendNki(42, { ...body(), Message });
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]?.body ?? "{}").Message).toBe(Message);
  });

  it("refuses a request body over maxRequestBytes, naming the limit (a 10 MB Extra, nothing sent)", async () => {
    const huge = body([{ FirstName: "A", Phone: "+46701234567", Extra: "x".repeat(10_000_000) }]);
    expect(specAccepts(42, huge)).toBe(true);
    const [problem] = await refused(42, huge);
    expect(problem?.path).toBe("body");
    expect(problem?.message).toMatch(/^is 10000\d+ bytes of JSON, over the 1048576-byte limit \(maxRequestBytes\)$/);
  });

  it("counts UTF-8 bytes, and takes a configured limit", async () => {
    const input = { ...body(), Message: "ö".repeat(100) }; // 200 bytes of Message alone
    const json = JSON.stringify(input);
    const bytes = Buffer.byteLength(json);
    const [problem] = await refused(42, input, { maxRequestBytes: bytes - 1 });
    expect(problem?.message).toBe(`is ${bytes} bytes of JSON, over the ${bytes - 1}-byte limit (maxRequestBytes)`);
    const { fetch, requests } = scriptedFetch(echoRecipients());
    await testClient(fetch, { maxRequestBytes: bytes }).sendNki(42, input);
    expect(requests).toHaveLength(1);
    expect(Buffer.byteLength(requests[0]?.body ?? "")).toBe(bytes);
  });

  it("checks every chunk of a bulk send against the limit before sending any", async () => {
    const input = body(users(6));
    input.Users[4] = { ...input.Users[4], FirstName: "x".repeat(90), Phone: input.Users[4]?.Phone ?? "" };
    const chunkJson = JSON.stringify({ ...input, Users: input.Users.slice(4, 6) });
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const limit = Buffer.byteLength(chunkJson) - 1;
    const error = await rejectionOf<Ip1ValidationError>(
      testClient(fetch, { maxRequestBytes: limit }).sendNkiBulk(42, input, { chunkSize: 2 }),
    );
    expect(error.problems).toEqual([
      {
        path: "chunk 2 (Users[4] to Users[5])",
        message: `is ${limit + 1} bytes of JSON, over the ${limit}-byte limit (maxRequestBytes)`,
      },
    ]);
    expect(requests).toHaveLength(0);
  });

  it.each([0, -1, 1.5, Number.NaN, "1000"])("refuses maxRequestBytes %s when the client is made", (value) => {
    expect(() => createIp1Client({ token: "t", env: {}, maxRequestBytes: value as number })).toThrow(
      /^Invalid client options: maxRequestBytes must be a whole number of bytes, 1 or more\.$/,
    );
  });

  it("refuses an unknown defaultCountry or duplicatePhones when the client is made", () => {
    expect(() => createIp1Client({ token: "t", env: {}, defaultCountry: "XX" as never })).toThrow(
      Ip1ConfigurationError,
    );
    expect(() => createIp1Client({ token: "t", env: {}, duplicatePhones: "drop" as never })).toThrow(
      'duplicatePhones must be "reject" or "keep-first"',
    );
  });
});
