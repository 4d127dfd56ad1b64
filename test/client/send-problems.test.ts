// sendProblems gives, as a list, exactly the verdicts assertValidSend throws and sendNki refuses with: one check,
// two ways to hear it. Over requests generated from the spec (valid, broken in one place, and kept to the policy).
import fc from "fast-check";
import { assertValidSend, type Ip1Problem, Ip1ValidationError, type RecipientRules, sendProblems } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { requestCases } from "../property/request-cases.js";
import { runParameters } from "../property/run-parameters.js";
import { sendOperation } from "../support/spec.js";

const requests = requestCases(sendOperation);

/** What assertValidSend says: the problems it throws, or none. */
function thrownProblems(nki: unknown, body: unknown, rules?: RecipientRules): Ip1Problem[] {
  try {
    assertValidSend(nki, body, rules);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(Ip1ValidationError);
    return (error as Ip1ValidationError).problems;
  }
}

describe("sendProblems", () => {
  it("agrees with assertValidSend on every generated request, valid or broken, and never throws", () => {
    const rules = fc.record(
      { defaultCountry: fc.constantFrom("SE", "NO", "US"), duplicatePhones: fc.constantFrom("reject", "keep-first") },
      { requiredKeys: [] },
    ) as fc.Arbitrary<RecipientRules>;
    fc.assert(
      fc.property(fc.oneof(requests.any, requests.policyValid), rules, ({ params, body }, rules) => {
        expect(sendProblems(params.nki, body, rules)).toEqual(thrownProblems(params.nki, body, rules));
      }),
      runParameters(),
    );
  });

  it("finds a request broken in one place invalid, and one kept to the client policy valid", () => {
    fc.assert(
      fc.property(requests.invalid, ({ params, body }) => {
        expect(sendProblems(params.nki, body).length).toBeGreaterThan(0);
      }),
      runParameters(),
    );
    fc.assert(
      fc.property(requests.policyValid, ({ params, body }) => {
        expect(sendProblems(params.nki, body)).toEqual([]);
      }),
      runParameters(),
    );
  });

  it.each([
    ["not an object", 42, null, [{ path: "body", message: "must be object" }]],
    [
      "a nki of 0 and no From",
      0,
      { Message: "Hej", Users: [{ FirstName: "Anna", Phone: "+46701234567" }] },
      [{ path: "From", message: "is required" }],
    ],
    [
      "a phone given twice",
      42,
      {
        From: "Acme",
        Message: "Hej",
        Users: [
          { FirstName: "Anna", Phone: "+46701234567" },
          { FirstName: "Bo", Phone: "0046 70 123 45 67" },
        ],
      },
      [{ path: "Users[1].Phone", message: expect.stringMatching(/^is the same phone number as Users\[0\]\.Phone/) }],
    ],
  ])("names each problem by its path: %s", (_case, nki, body, expected) => {
    const problems = sendProblems(nki, body);
    expect(problems).toEqual(expect.arrayContaining(expected));
    expect(problems).toEqual(thrownProblems(nki, body));
  });

  it("applies the recipient rules it is given: keep-first and a default country make the same send valid", () => {
    const body = {
      From: "Acme",
      Message: "Hej",
      Users: [
        { FirstName: "Anna", Phone: "070-123 45 67" },
        { FirstName: "Bo", Phone: "+46701234567" },
      ],
    };
    expect(sendProblems(42, body).map((problem) => problem.path)).toEqual(["Users[0].Phone"]);
    expect(sendProblems(42, body, { defaultCountry: "SE" }).map((problem) => problem.path)).toEqual(["Users[1].Phone"]);
    expect(sendProblems(42, body, { defaultCountry: "SE", duplicatePhones: "keep-first" })).toEqual([]);
  });
});
