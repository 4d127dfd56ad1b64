// Agreement, over requests generated from the spec (valid ones, and ones broken in one named place): our generated
// request validators and Prism accept the same requests. The client throws Ip1ValidationError having sent nothing
// whenever Prism rejects the request, naming the broken place as the validators and Prism do. The client policy is
// stricter than the spec: a spec-valid request may be refused too, but only one Prism accepts, and one changed to
// keep the policy (conformToPolicy) is always sent, once, and accepted.
import fc from "fast-check";
import { type Ip1Problem, Ip1ValidationError } from "ip1-nki";
import { expect, it } from "vitest";
import {
  type ValidationProblem,
  validateSendNkiToUsersBody,
  validateSendNkiToUsersPathParams,
  validateSendNkiToUsersResponse200,
} from "../../generated/validators.js";
import type { Segment } from "../support/arbitraries.js";
import { SEND_PATH, sendOperation } from "../support/spec.js";
import { suitePrism } from "../support/suite-prism.js";
import { countingClient } from "./counting-client.js";
import { validAuthorization } from "./credentials.js";
import { sendToPrism, type Violation } from "./prism-http.js";
import { problemPath, type RequestCase, requestCases } from "./request-cases.js";
import { PROPERTY_TIMEOUT_MS, runParameters } from "./run-parameters.js";

const prismUrl = await suitePrism();
const requests = requestCases(sendOperation);
const send = countingClient(prismUrl);

type Broken = NonNullable<RequestCase["mutation"]>;
const pointer = (path: Segment[]) => path.map((segment) => `/${segment}`).join("");

/** Whether our validator reports the mutation where it was made (a missing key is reported at its parent). */
function validatorNames(problems: ValidationProblem[], mutation: Broken) {
  if (mutation.kind === "required") {
    const parent = pointer(mutation.path.slice(0, -1));
    const missing = mutation.path.at(-1);
    return problems.some(
      (p) => p.keyword === "required" && p.instancePath === parent && p.params.missingProperty === missing,
    );
  }
  return problems.some((p) => p.instancePath === pointer(mutation.path));
}

/** The same question of Prism's `sl-violations`, whose locations are ["request", "body" | "path", ...keys]. */
function prismNames(violations: Violation[], request: RequestCase, mutation: Broken) {
  // Prism reads a falsy JSON body (null, false, 0, "") as no body at all, and says so at the request itself.
  if (!request.body) return violations.some((v) => v.location.join("/") === "request" && v.code === "required");
  const where = ["request", mutation.in, ...mutation.path.map(String)];
  if (mutation.kind === "required") {
    const missing = String(where.pop());
    return violations.some(
      (v) => v.code === "required" && v.location.join("/") === where.join("/") && v.message.includes(`'${missing}'`),
    );
  }
  return violations.some((v) => v.location.join("/") === where.join("/"));
}

it("validators, client and Prism accept exactly the same requests, and name the same broken field", {
  timeout: PROPERTY_TIMEOUT_MS,
}, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(requests.any, requests.policyValid),
      validAuthorization,
      async (request, authorization) => {
        const validatorAccepts =
          validateSendNkiToUsersPathParams(request.params) && validateSendNkiToUsersBody(request.body);
        const validatorProblems = [
          ...(validateSendNkiToUsersPathParams.errors ?? []),
          ...(validateSendNkiToUsersBody.errors ?? []),
        ];
        const sent = await send(request.params, request.body, { Authorization: authorization });
        if (sent.error !== undefined && !(sent.error instanceof Ip1ValidationError)) throw sent.error;

        if (sent.error && request.mutation === undefined) {
          // Refused by the client policy alone: nothing sent, and by the spec (validators and Prism) it is valid.
          expect(request.policy, "a request kept to the policy was refused").toBeUndefined();
          expect(sent.requests, "requests made for refused input").toBe(0);
          expect(validatorAccepts, "validators on a policy-only refusal").toBe(true);
          const prism = await sendToPrism(prismUrl, SEND_PATH, request, { authorization });
          expect(prism.status, "Prism's answer to a request only the policy refuses").toBe(200);
        } else if (sent.error) {
          // The client refused: it must have sent nothing, and Prism, asked directly, must refuse too.
          expect(sent.requests, "requests made for refused input").toBe(0);
          const prism = await sendToPrism(prismUrl, SEND_PATH, request, { authorization });
          expect(prism.status, "Prism's answer to what the client refused").toBe(400);
          expect(validatorAccepts, "validators vs Prism").toBe(false);
          const mutation = request.mutation as Broken;
          expect(validatorNames(validatorProblems, mutation), JSON.stringify(validatorProblems)).toBe(true);
          expect(prismNames(prism.violations, request, mutation), JSON.stringify(prism.violations)).toBe(true);
          const named = (sent.error.problems as Ip1Problem[]).map((problem) => problem.path);
          expect(named, "the client's problem paths").toContain(problemPath(mutation.path));
        } else {
          // The client sent it once and Prism accepted it (a rejection would have thrown an Ip1ApiError above).
          expect(sent.requests).toBe(1);
          expect(validateSendNkiToUsersResponse200(sent.messages)).toBe(true);
          expect(validatorAccepts, "validators vs Prism").toBe(true);
        }
        // The generator's own claim is the last witness: a mutant is refused, one kept to the policy is sent.
        if (request.mutation) expect(sent.error, "a mutant was sent").toBeDefined();
        if (request.policy) expect(sent.error, "a request kept to the policy was refused").toBeUndefined();
      },
    ),
    runParameters(),
  );
});
