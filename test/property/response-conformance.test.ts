// Response conformance: whatever Prism answers (example or `Prefer: dynamic=true`, any status we can ask for, valid
// or broken requests, good or garbled credentials) has a documented status and media type, and its body passes the
// generated validator for that status.
import fc from "fast-check";
import { expect, it } from "vitest";
import * as validators from "../../generated/validators.js";
import { resolveRef, SEND_PATH, sendOperation } from "../support/spec.js";
import { suitePrism } from "../support/suite-prism.js";
import { garbledAuthorization, validAuthorization } from "./credentials.js";
import { sendToPrism } from "./prism-http.js";
import { requestCases } from "./request-cases.js";
import { PROPERTY_TIMEOUT_MS, runParameters } from "./run-parameters.js";

const prismUrl = await suitePrism();
const requests = requestCases(sendOperation);
const responses = sendOperation.responses as Record<string, unknown>;
const documentedStatuses = Object.keys(responses);
const operationName = String(sendOperation.operationId).replace(/^./, (first) => first.toUpperCase());

/** The generated validator for one status's body, found by the pipeline's naming rule. */
function responseValidator(status: string): validators.Validator<unknown> {
  const validator = (validators as Record<string, unknown>)[`validate${operationName}Response${status}`];
  if (typeof validator !== "function") throw new Error(`no generated validator for status ${status}`);
  return validator as validators.Validator<unknown>;
}

const mediaTypes = (status: string) => Object.keys((resolveRef(responses[status]).content ?? {}) as object);

// Prism's `Prefer` header: a documented status to answer with, and/or a body made up from the schema.
const preference = fc.record({
  code: fc.option(fc.constantFrom(...documentedStatuses), { nil: undefined }),
  dynamic: fc.boolean(),
});
const credentials = fc.oneof(
  validAuthorization.map((header) => ({ header, wellFormed: true })),
  garbledAuthorization.map((header) => ({ header, wellFormed: false })),
);

it("every Prism answer has a documented status and media type, and passes that status's validator", {
  timeout: PROPERTY_TIMEOUT_MS,
}, async () => {
  await fc.assert(
    fc.asyncProperty(requests.any, credentials, preference, async (request, authorization, { code, dynamic }) => {
      const prefer = [code && `code=${code}`, dynamic && "dynamic=true"].filter(Boolean).join(", ");
      const answer = await sendToPrism(prismUrl, SEND_PATH, request, {
        authorization: authorization.header,
        prefer: prefer || undefined,
      });
      const status = String(answer.status);
      // Credentials are checked first, then the request; only a request that passes both gets what it asked for.
      const expected = !authorization.wellFormed ? "401" : request.mutation ? "400" : (code ?? "200");
      expect(status, `Prefer: ${prefer}`).toBe(expected);
      expect(documentedStatuses, `status ${status}`).toContain(status);
      expect(mediaTypes(status), `media type of a ${status}`).toContain(answer.mediaType);
      const validate = responseValidator(status);
      expect(
        validate(answer.body),
        `${status} body ${JSON.stringify(answer.body)}: ${JSON.stringify(validate.errors)}`,
      ).toBe(true);
    }),
    runParameters(),
  );
});
