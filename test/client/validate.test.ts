// Validation before send: every problem, named by its path, and nothing on the wire.
import { Ip1ValidationError } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { toPath } from "../../src/validate.js";
import { body, json, rejectionOf, scriptedFetch, testClient, users } from "./support.js";

async function problemsOf(nki: unknown, input: unknown) {
  const { fetch, requests } = scriptedFetch(json(200, []));
  const error = await rejectionOf<Ip1ValidationError>(
    testClient(fetch)
      // biome-ignore lint/suspicious/noExplicitAny: the point is to pass what the types forbid
      .sendNki(nki as any, input as any),
  );
  expect(error).toBeInstanceOf(Ip1ValidationError);
  expect(error.outcome).toBe("not-sent");
  expect(requests).toHaveLength(0);
  return error;
}

describe("validation", () => {
  it("lists every problem with its path, and sends nothing", async () => {
    const error = await problemsOf("42", {
      Users: [{ FirstName: "Anna", Phone: "+4670123456789012" }, { Phone: "+46702" }, { FirstName: "Bo", Phone: 46 }],
      Message: 7,
    });
    expect(error.problems).toEqual([
      { path: "nki", message: "must be integer" },
      { path: "From", message: "is required" },
      { path: "Message", message: "must be string" },
      { path: "Users[0].Phone", message: "not a valid phone number" },
      { path: "Users[1].FirstName", message: "is required" },
      { path: "Users[1].Phone", message: "not a valid phone number" },
      { path: "Users[2].Phone", message: "must be string" },
    ]);
    expect(error.message).toBe(
      [
        "Invalid input, nothing was sent:",
        "  nki: must be integer",
        "  From: is required",
        "  Message: must be string",
        "  Users[0].Phone: not a valid phone number",
        "  Users[1].FirstName: is required",
        "  Users[1].Phone: not a valid phone number",
        "  Users[2].Phone: must be string",
      ].join("\n"),
    );
  });

  it("names a missing nki and a body that is not an object", async () => {
    const error = await problemsOf(undefined, "hello");
    expect(error.problems).toEqual([
      { path: "nki", message: "is required" },
      { path: "body", message: "must be object" },
    ]);
  });

  it("rejects an nki outside int32", async () => {
    expect((await problemsOf(2 ** 31, body())).problems).toEqual([{ path: "nki", message: "must be <= 2147483647" }]);
  });

  it("keeps every problem in .problems but shows only the first 20 in the message", async () => {
    const tooLong = users(25).map((user) => ({ ...user, Phone: "+467012345678901234" }));
    const error = await problemsOf(1, body(tooLong));
    expect(error.problems).toHaveLength(25);
    expect(error.problems[24]?.path).toBe("Users[24].Phone");
    expect(error.message).toContain("Users[19].Phone");
    expect(error.message).not.toContain("Users[20].Phone");
    expect(error.message).toMatch(/… and 5 more$/);
  });
});

describe("toPath", () => {
  it("turns a JSON pointer into a property path", () => {
    expect(toPath("/Users/0/Phone")).toBe("Users[0].Phone");
    expect(toPath("/Users/12")).toBe("Users[12]");
    expect(toPath("/From")).toBe("From");
    expect(toPath("")).toBe("body");
  });
});
