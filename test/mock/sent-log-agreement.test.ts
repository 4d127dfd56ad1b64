// The simulator and Prism (the project's oracle, on the same spec) answer the sent log's reads alike: over generated
// bundle segments, `to` filters and credentials (well formed, garbled, absent), both answer 401 to the same requests,
// both answer 200 to the same requests (each body passing the spec's validator), and both refuse the same segments
// that are not an int32, Prism with 422 (its status when the spec declares no 400), the simulator with 400.
import fc from "fast-check";
import { createIp1Mock } from "ip1-nki/mock";
import { expect, it } from "vitest";
import { validateListSentSmsInBundleResponse200, validateListSentSmsResponse200 } from "../../generated/validators.js";
import { garbledAuthorization, validAuthorization } from "../property/credentials.js";
import { PROPERTY_TIMEOUT_MS, runParameters } from "../property/run-parameters.js";
import { suitePrism } from "../support/suite-prism.js";

const prismUrl = await suitePrism();
const mock = createIp1Mock();

/** 200, 401, or "refused" for the 4xx a malformed path parameter gets (400 here, 422 from Prism). */
const kind = (status: number) => (status === 400 || status === 422 ? "refused" : status);

const segment = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map(String),
  fc.bigInt({ min: 2n ** 31n, max: 2n ** 40n }).map(String),
  fc.string({ unit: fc.constantFrom(..."0123456789abc.-+"), minLength: 1, maxLength: 12 }),
);
const phones = fc.array(fc.constantFrom("+46701234567", "46731234568", "+4791234567", "x"), { maxLength: 3 });
const read = fc.oneof(
  segment.map((bundle) => ({ path: `/api/sms/sent/bundle/${encodeURIComponent(bundle)}`, list: "bundle" as const })),
  phones.map((to) => ({
    path: `/api/sms/sent${to.length ? `?${to.map((phone) => `to=${encodeURIComponent(phone)}`).join("&")}` : ""}`,
    list: "search" as const,
  })),
);

it("the simulator and Prism agree on every generated read of the sent log (≥ 500)", {
  timeout: PROPERTY_TIMEOUT_MS,
}, async () => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(
      read,
      fc.oneof(validAuthorization, garbledAuthorization),
      async ({ path, list }, authorization) => {
        const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
        const prism = await fetch(`${prismUrl}${path}`, { headers });
        const simulated = await mock.fetch(`https://api.ip1sms.com${path}`, { headers });
        const body = await simulated.json();
        const shown = JSON.stringify({ path, authorization, prism: prism.status, simulator: body });
        await prism.body?.cancel();
        expect(kind(simulated.status), shown).toBe(kind(prism.status));
        if (simulated.status === 200) {
          const validate = list === "bundle" ? validateListSentSmsInBundleResponse200 : validateListSentSmsResponse200;
          expect(validate(body), shown).toBe(true);
        }
        compared++;
      },
    ),
    runParameters(),
  );
  expect(compared).toBeGreaterThanOrEqual(500);
});
