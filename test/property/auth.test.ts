// Auth: a request with missing or garbled credentials gets 401 with a documented error body, whatever else is right
// or wrong with it. Valid requests (kept to the client policy, so the client sends them) go through the client
// (credentials set per call), which must send once and throw
// Ip1AuthenticationError with outcome "not-sent"; broken ones, which the client would refuse, go to Prism directly.
import fc from "fast-check";
import { Ip1AuthenticationError } from "ip1-nki";
import { expect, it } from "vitest";
import { validateSendNkiToUsersResponse401 } from "../../generated/validators.js";
import { SEND_PATH, sendOperation } from "../support/spec.js";
import { suitePrism } from "../support/suite-prism.js";
import { countingClient } from "./counting-client.js";
import { garbledAuthorization } from "./credentials.js";
import { sendToPrism } from "./prism-http.js";
import { requestCases } from "./request-cases.js";
import { PROPERTY_TIMEOUT_MS, runParameters } from "./run-parameters.js";

const prismUrl = await suitePrism();
const requests = requestCases(sendOperation);
const send = countingClient(prismUrl);

it("missing or garbled credentials get 401, for valid and broken requests alike", {
  timeout: PROPERTY_TIMEOUT_MS,
}, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(requests.policyValid, requests.invalid),
      garbledAuthorization,
      async (request, authorization) => {
        const shown = `Authorization: ${JSON.stringify(authorization)}`;
        if (request.mutation === undefined) {
          const sent = await send(request.params, request.body, { Authorization: authorization ?? null });
          expect(sent.error, shown).toBeInstanceOf(Ip1AuthenticationError);
          const error = sent.error as Ip1AuthenticationError;
          expect({ status: error.status, outcome: error.outcome, requests: sent.requests }).toEqual({
            status: 401,
            outcome: "not-sent",
            requests: 1,
          });
          expect(validateSendNkiToUsersResponse401(error.body), JSON.stringify(error.body)).toBe(true);
        } else {
          const answer = await sendToPrism(prismUrl, SEND_PATH, request, { authorization });
          expect(answer.status, shown).toBe(401);
          expect(validateSendNkiToUsersResponse401(answer.body), JSON.stringify(answer.body)).toBe(true);
          expect(answer.violations.some((violation) => violation.code === 401)).toBe(true);
        }
      },
    ),
    runParameters(),
  );
});
