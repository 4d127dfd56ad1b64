// The simulator and Prism (the project's independent oracle, on the same spec) accept and reject exactly the same
// requests: over generated requests (valid, and broken in one named place) with well-formed or garbled credentials,
// both answer the same status, the simulator's 400 names the broken field, and its answer passes the spec's
// validator for that status.
import fc from "fast-check";
import { createIp1Mock } from "ip1-nki/mock";
import { expect, it } from "vitest";
import {
  validateSendNkiToUsersResponse200,
  validateSendNkiToUsersResponse400,
  validateSendNkiToUsersResponse401,
} from "../../generated/validators.js";
import { garbledAuthorization, validAuthorization } from "../property/credentials.js";
import { sendToPrism } from "../property/prism-http.js";
import { expandPath, problemPath, requestCases } from "../property/request-cases.js";
import { PROPERTY_TIMEOUT_MS, runParameters } from "../property/run-parameters.js";
import { SEND_PATH, sendOperation } from "../support/spec.js";
import { suitePrism } from "../support/suite-prism.js";

const prismUrl = await suitePrism();
const base64 = (text: string) => Buffer.from(text).toString("base64");
/**
 * Credentials at the edge of what Prism accepts, which the shared generators leave out on purpose (they are neither
 * clearly valid nor clearly garbled): the simulator must draw the line exactly where Prism does.
 */
const edgeAuthorization = fc.oneof(
  fc.string({ maxLength: 12 }).map((secret) => `bearer ${secret}`),
  fc.string({ maxLength: 12 }).map((secret) => `Bearer\t${secret}`),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }))
    .map(([a, b]) => `Basic ${base64(`ip1-1:${a}:${b}`)}`),
  fc.string({ maxLength: 12 }).map((text) => `basic ${base64(`ip1-1:${text}`)}`),
  fc.string({ maxLength: 12 }).map((text) => `Basic  ${base64(`ip1-1:${text}`)}`),
  fc.string({ maxLength: 12 }).map((text) => `Basic ${base64(`ip1-1:${text}`)} trailing`),
  fc.string({ unit: fc.constantFrom(..."AB=-_!*"), maxLength: 12 }).map((text) => `Basic ${text}`),
);
const requests = requestCases(sendOperation);
const mock = createIp1Mock();

const validatorFor: Record<number, (body: unknown) => boolean> = {
  200: validateSendNkiToUsersResponse200,
  400: validateSendNkiToUsersResponse400,
  401: validateSendNkiToUsersResponse401,
};

it("the simulator and Prism answer the same status to every generated request (≥ 500)", {
  timeout: PROPERTY_TIMEOUT_MS,
}, async () => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(
      requests.any,
      fc.oneof(validAuthorization, garbledAuthorization, edgeAuthorization),
      async (request, authorization) => {
        const prism = await sendToPrism(prismUrl, SEND_PATH, request, { authorization });
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (authorization !== undefined) headers.authorization = authorization;
        const response = await mock.fetch(`http://127.0.0.1${expandPath(SEND_PATH, request.params)}`, {
          method: "POST",
          headers,
          body: JSON.stringify(request.body),
        });
        const body = (await response.json()) as { ModelState?: Record<string, string[]> };
        const shown = JSON.stringify({ request, authorization, simulator: body, prism: prism.body });
        expect(response.status, shown).toBe(prism.status);
        expect(validatorFor[response.status]?.(body), shown).toBe(true);
        if (response.status === 400 && request.mutation) {
          expect(Object.keys(body.ModelState ?? {}), shown).toContain(problemPath(request.mutation.path));
        }
        compared++;
      },
    ),
    runParameters(),
  );
  expect(compared).toBeGreaterThanOrEqual(500);
});
