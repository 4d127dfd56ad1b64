// Recipients as the client sends them: every Phone in E.164, national numbers only with a defaultCountry, and one
// text per person: the same normalized phone twice is refused (naming both positions), within a request and across
// every chunk of a bulk send, unless duplicatePhones is "keep-first".
import { type Ip1ValidationError, type NkiUser, validateRecipient } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { body, echoRecipients, rejectionOf, scriptedFetch, testClient, users } from "./support.js";

const sentPhones = (requests: { body: string }[]) =>
  requests.map((request) => (JSON.parse(request.body) as { Users: NkiUser[] }).Users.map((user) => user.Phone));

const person = (Phone: string, FirstName = "Anna") => ({ FirstName, Phone });

describe("phone numbers", () => {
  it("sends the normalized E.164 number, not the number as written", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    await testClient(fetch).sendNki(42, body([person("+46 70-000 00 01"), person("0046 70 000 00 02")]));
    expect(sentPhones(requests)).toEqual([["+46700000001", "+46700000002"]]);
  });

  it("accepts national numbers with the client's defaultCountry, or the call's, which wins", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    await testClient(fetch, { defaultCountry: "SE" }).sendNki(42, body([person("070-123 45 67")]));
    await testClient(fetch, { defaultCountry: "SE" }).sendNki(42, body([person("912 34 567")]), {
      defaultCountry: "NO",
    });
    expect(sentPhones(requests)).toEqual([["+46701234567"], ["+4791234567"]]);
  });

  it.each([
    ["abc", "is not a phone number (a phone number is digits, such as +46701234567)"],
    ["=1+1", 'holds "=", which no phone number does'],
    ["'+46700000001", `holds "'", which no phone number does`],
    ["+4742193808", "not a valid phone number"],
    [
      "070-123 45 67",
      'has no country code: give defaultCountry: "SE" (it reads as a mobile number in SE), or write the number with its country code (such as +46…)',
    ],
    [
      "08-123 456 78",
      'has no country code: give its country as defaultCountry (for example defaultCountry: "SE"), or write the number with its country code (such as +46…)',
    ],
  ])("refuses %s by path, and sends nothing", async (Phone, message) => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const input = body([person("+46700000001"), person("+46700000002"), person("+46700000003"), person(Phone)]);
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNki(42, input));
    expect(error.problems).toEqual([{ path: "Users[3].Phone", message }]);
    expect(error.message).toContain(`Users[3].Phone: ${message}`);
    expect(requests).toHaveLength(0);
  });

  it("refuses an unknown defaultCountry on a call as a validation problem", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ValidationError>(
      testClient(fetch).sendNki(42, body(), { defaultCountry: "SWE" as never }),
    );
    expect(error.problems).toEqual([
      { path: "defaultCountry", message: "must be an ISO 3166-1 alpha-2 country code such as SE" },
    ]);
    expect(requests).toHaveLength(0);
  });
});

describe("one text per person", () => {
  it("refuses the same phone written three ways, naming both positions of each duplicate", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const input = body([person("+46700000001"), person("+46 70-000 00 01", "Bo"), person("0046700000001", "Cia")]);
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNki(42, input));
    expect(error.problems.map((problem) => problem.path)).toEqual(["Users[1].Phone", "Users[2].Phone"]);
    expect(error.problems[1]?.message).toMatch(
      /^is the same phone number as Users\[0\]\.Phone; each number gets one text/,
    );
    expect(error.message).not.toContain("+46700000001");
    expect(requests).toHaveLength(0);
  });

  it("refuses a duplicate across the chunks of a bulk send, before any chunk is sent", async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const input = body([...users(5), person(users(1)[0]?.Phone ?? "")]);
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNkiBulk(42, input, { chunkSize: 2 }));
    expect(error.problems).toEqual([
      {
        path: "Users[5].Phone",
        message:
          'is the same phone number as Users[0].Phone; each number gets one text (duplicatePhones: "keep-first" sends the first only)',
      },
    ]);
    expect(requests).toHaveLength(0);
  });

  it('"keep-first" sends the first of each phone, once, and leaves the rest out (sendNki)', async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const input = body([person("+46700000001"), person("+46700000002"), person("0046700000001", "Again")]);
    const messages = await testClient(fetch, { duplicatePhones: "keep-first" }).sendNki(42, input);
    expect(sentPhones(requests)).toEqual([["+46700000001", "+46700000002"]]);
    expect(messages.map((message) => message.To)).toEqual(["+46700000001", "+46700000002"]);
  });

  it('"keep-first" across chunks: the result lists every duplicate, and a chunk of duplicates only sends nothing', async () => {
    const { fetch, requests } = scriptedFetch(echoRecipients());
    const [a, b, c] = users(3);
    const input = body([a, b, c, { ...a, FirstName: "A2" }, { ...b, FirstName: "B2" }] as NkiUser[]);
    // Chunks of 2: [a, b], [c, a2], [b2]: the last holds only a duplicate.
    const result = await testClient(fetch).sendNkiBulk(42, input, { chunkSize: 2, duplicatePhones: "keep-first" });
    expect(sentPhones(requests)).toEqual([[a?.Phone, b?.Phone], [c?.Phone]]);
    expect(result.duplicates).toEqual([
      { phone: a?.Phone, firstIndex: 0, index: 3 },
      { phone: b?.Phone, firstIndex: 1, index: 4 },
    ]);
    expect(result.chunks.map(({ start, end, outcome, messages }) => [start, end, outcome, messages?.length])).toEqual([
      [0, 2, "sent", 2],
      [2, 4, "sent", 1],
      [4, 5, "sent", 0],
    ]);
  });
});

describe("validateRecipient, the per-recipient check (for callers that stream rows)", () => {
  it("returns the user as it would be sent, or every problem with the given path", () => {
    expect(validateRecipient({ FirstName: "Anna", Phone: "070-000 00 01" }, "row 7", { defaultCountry: "SE" })).toEqual(
      {
        user: { FirstName: "Anna", Phone: "+46700000001" },
        problems: [],
      },
    );
    expect(validateRecipient({ Phone: "abc", LastName: "a\nb" }, "row 8")).toEqual({
      user: undefined,
      problems: [
        { path: "row 8.FirstName", message: "is required" },
        { path: "row 8.Phone", message: "is not a phone number (a phone number is digits, such as +46701234567)" },
        { path: "row 8.LastName", message: "must not contain control characters (NUL, CR, LF, …)" },
      ],
    });
    expect(validateRecipient("Anna", "row 9").problems).toEqual([{ path: "row 9", message: "must be object" }]);
  });

  it("gives the same problems as sendNki does for that recipient", async () => {
    const user = { FirstName: "x".repeat(101), Phone: "+46 70 000 00 0", Email: "a\u0000" };
    const { fetch } = scriptedFetch(echoRecipients());
    const error = await rejectionOf<Ip1ValidationError>(testClient(fetch).sendNki(42, body([user])));
    expect(validateRecipient(user, "Users[0]").problems).toEqual(error.problems);
  });
});
