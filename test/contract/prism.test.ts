// The spec's contract, proved with raw HTTP against a real Prism mock: what Prism accepts and answers, and that our
// generated validators agree with Prism on which field is wrong.
import { describe, expect, it } from "vitest";
import {
  type ValidationProblem,
  validateSendNkiToUsersBody,
  validateSendNkiToUsersPathParams,
  validateSendNkiToUsersResponse200,
  validateSendNkiToUsersResponse400,
  validateSendNkiToUsersResponse401,
} from "../../generated/validators.js";
import { exampleBody, sendUrl } from "../support/spec.js";
import { suitePrism } from "../support/suite-prism.js";

const prismUrl = await suitePrism();
const basic = `Basic ${Buffer.from("ip1-12345:test-api-key").toString("base64")}`;
const bearer = "Bearer test-token";

async function post(nki: string | number, body: unknown, authorization?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(sendUrl(prismUrl, nki), { method: "POST", headers, body: JSON.stringify(body) });
  return { response, body: (await response.json()) as unknown };
}

/** The fields Prism names in its `sl-violations` header, as dotted paths ("Users.0.Phone", "nki"). */
function prismViolationFields(response: Response): string[] {
  const header = response.headers.get("sl-violations");
  if (!header) return [];
  const violations = JSON.parse(header) as { location: string[]; message: string }[];
  return violations.map(({ location, message }) => {
    const field = location.slice(2).join("."); // drop "request", "body" | "path"
    // A missing property is reported at its parent; its name is in the message.
    const missing = /required property '([^']+)'/.exec(message)?.[1];
    return missing ? [field, missing].filter(Boolean).join(".") : field;
  });
}

/** The same, from our validator's problems (JSON pointers → dotted paths). */
function validatorFields(problems: ValidationProblem[] | null | undefined): string[] {
  return (problems ?? []).map((problem) => {
    const field = problem.instancePath.slice(1).replaceAll("/", ".");
    const missing = problem.keyword === "required" ? String(problem.params.missingProperty) : "";
    return [field, missing].filter(Boolean).join(".");
  });
}

describe("valid sends", () => {
  it.each([
    ["Basic", basic],
    ["Bearer", bearer],
  ])("%s auth gets 200 with a body that passes the generated response validator", async (_scheme, authorization) => {
    const { response, body } = await post(42, exampleBody, authorization);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(validateSendNkiToUsersResponse200(body), JSON.stringify(validateSendNkiToUsersResponse200.errors)).toBe(
      true,
    );
    expect(body).not.toHaveLength(0);
  });
});

describe("auth", () => {
  it("no credentials get 401 with an ErrorMessage body", async () => {
    const { response, body } = await post(42, exampleBody);
    expect(response.status).toBe(401);
    expect(validateSendNkiToUsersResponse401(body)).toBe(true);
  });
});

const users = exampleBody.Users as Record<string, unknown>[];
const withUser = (patch: Record<string, unknown>) => ({ ...exampleBody, Users: [{ ...users[0], ...patch }] });
const without = (key: string) => Object.fromEntries(Object.entries(exampleBody).filter(([k]) => k !== key));
const withoutUserField = (key: string) => ({
  ...exampleBody,
  Users: [Object.fromEntries(Object.entries(users[0] ?? {}).filter(([k]) => k !== key))],
});

describe("invalid input: Prism rejects it, and the generated validator names the same field", () => {
  const bodyCases: [string, unknown, string][] = [
    ["missing required From", without("From"), "From"],
    ["missing required Users", without("Users"), "Users"],
    ["missing required Users[0].Phone", withoutUserField("Phone"), "Users.0.Phone"],
    ["Phone too long (17 > 16)", withUser({ Phone: "+4670123456789012" }), "Users.0.Phone"],
    ["FirstName too long (101 > 100)", withUser({ FirstName: "A".repeat(101) }), "Users.0.FirstName"],
    ["Email too long (51 > 50)", withUser({ Email: `${"a".repeat(40)}@example.se` }), "Users.0.Email"],
    ["wrong type: Email flag as a string", { ...exampleBody, Email: "yes" }, "Email"],
    ["wrong type: Users as an object", { ...exampleBody, Users: { FirstName: "Anna" } }, "Users"],
    ["wrong type: Message as a number", { ...exampleBody, Message: 42 }, "Message"],
  ];

  it.each(bodyCases)("%s", async (_name, body, field) => {
    const { response, body: answer } = await post(42, body, basic);
    expect(response.status).toBe(400);
    expect(validateSendNkiToUsersResponse400(answer)).toBe(true);
    expect(prismViolationFields(response)).toContain(field);

    expect(validateSendNkiToUsersBody(body)).toBe(false);
    expect(validatorFields(validateSendNkiToUsersBody.errors)).toContain(field);
  });

  const nkiCases: [string, string, unknown][] = [
    ["non-integer nki", "4.5", 4.5],
    ["non-numeric nki", "abc", "abc"],
    ["nki above int32", "2147483648", 2147483648],
    ["nki below int32", "-2147483649", -2147483649],
  ];

  it.each(nkiCases)("%s", async (_name, inUrl, asValue) => {
    const { response } = await post(inUrl, exampleBody, basic);
    expect(response.status).toBe(400);
    expect(prismViolationFields(response)).toContain("nki");

    expect(validateSendNkiToUsersPathParams({ nki: asValue })).toBe(false);
    expect(validatorFields(validateSendNkiToUsersPathParams.errors)).toContain("nki");
  });

  // The request schema has no enum (the seed states none), so the enum case is proved on the response side, where
  // Currency (752|978) and Encoding (0|2) are enums.
  it.each([
    ["Currency", 840],
    ["Encoding", 1],
  ])("a %s outside its enum is rejected by the response validator", (field, value) => {
    const record = { From: "Acme", Message: "Hej", Currency: 752, Encoding: 0 };
    expect(validateSendNkiToUsersResponse200([record])).toBe(true);
    expect(validateSendNkiToUsersResponse200([{ ...record, [field]: value }])).toBe(false);
    expect(validatorFields(validateSendNkiToUsersResponse200.errors)).toEqual([`0.${field}`]);
  });
});
