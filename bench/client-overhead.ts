// 2. Client overhead, over real loopback HTTP: ops/s of one send by plain fetch, bare openapi-fetch and ip1-nki's
// sendNki (validation, E.164, de-duplication, the one-shot body, the bounded read, redaction), with 1 and 100
// recipients, each call's phones new or the same every call; then the E.164 fast path's differential run.
import mobileExamples from "libphonenumber-js/examples.mobile.json";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import metadataJson from "libphonenumber-js/max/metadata";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createIp1Client } from "../src/index.js";
import { checkE164 } from "../src/phone-e164.js";
import type { NkiSendRequest } from "../src/types-entry.js";
import type { BenchContext } from "./lib/context.js";
import { startFakeIp1 } from "./lib/fake-ip1.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";
import { inTurn } from "./lib/in-turn.js";
import { currentLoad } from "./lib/machine.js";
import { opsPerSecond } from "./lib/ops.js";

const NKI = 42;
const CASES = [
  { recipients: 1, fresh: true, goal: true },
  { recipients: 100, fresh: true, goal: true },
  { recipients: 100, fresh: false, goal: false },
] as const;

export async function clientOverheadBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const load = currentLoad();
  const fake = await startFakeIp1();
  const url = `${fake.url}/api/nkis/${NKI}/users/send`;
  const bare = createClient<paths>({ baseUrl: fake.url, headers: { authorization: "Bearer bench-token" } });
  const client = createIp1Client({ baseUrl: fake.url, token: "bench-token", env: {} });
  const figures: Figure[] = [];
  try {
    for (const { recipients, fresh, goal } of CASES) {
      let next = 0; // fresh phones: a number no call has sent before, in E.164 as most callers hold them
      const same = bodyOf(recipients, () => next++);
      const body = fresh ? () => bodyOf(recipients, () => next++) : () => same;
      const variants = {
        fetch: async () => {
          const answer = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: "Bearer bench-token" },
            body: JSON.stringify(body()),
          });
          return answer.json();
        },
        openapiFetch: () => bare.POST("/api/nkis/{nki}/users/send", { params: { path: { nki: NKI } }, body: body() }),
        sendNki: () => client.sendNki(NKI, body()),
      };
      const iterations = ctx.quick ? 200 : 1000;
      for (const op of Object.values(variants)) await opsPerSecond(op, iterations / 5); // warm-up
      const samples = { fetch: [] as number[], openapiFetch: [] as number[], sendNki: [] as number[] };
      for (let run = 1; run <= ctx.runs; run++) {
        ctx.log(`client: ${recipients} ${fresh ? "fresh" : "repeated"}, run ${run}/${ctx.runs}`);
        // Paired: each run measures every variant, in turn, so load on the machine falls on all of them.
        for (const name of inTurn(run, Object.keys(variants) as (keyof typeof variants)[])) {
          samples[name].push(await opsPerSecond(variants[name], iterations));
        }
      }
      const what = `${recipients} recipient${recipients > 1 ? "s" : ""}, ${fresh ? "new phones each call" : "the same phones each call"}`;
      const plain = figure({
        id: `client.${recipients}.${fresh}.fetch`,
        label: `plain fetch, ${what}`,
        unit: "ops/s",
        samples: samples.fetch,
      });
      const openapi = figure({
        id: `client.${recipients}.${fresh}.openapi-fetch`,
        label: `bare openapi-fetch, ${what}`,
        unit: "ops/s",
        samples: samples.openapiFetch,
        anchor: anchorOf(plain),
      });
      const ours = figure({
        id: `client.${recipients}.${fresh}.sendNki`,
        label: `ip1-nki sendNki, ${what}`,
        unit: "ops/s",
        samples: samples.sendNki,
        anchor: anchorOf(openapi),
        ...(goal && {
          goal: { text: "÷ openapi-fetch ≥ 0.9", met: (_: number, ratio?: number) => (ratio ?? 0) >= 0.9 },
        }),
      });
      figures.push(ours, openapi, plain);
    }
  } finally {
    await fake.close();
  }
  const agreement = phoneAgreement(ctx.quick ? 200 : 2000);
  return {
    id: "client",
    title: "2. Client overhead (loopback HTTP)",
    figures,
    notes: [
      `Load average at the start: ${load.toFixed(2)} (2 cores, shared). µs per call = 1,000,000 ÷ ops/s.`,
      "One op = one POST to a loopback fake IP1 (bench/lib/fake-ip1.ts), which answers one record per recipient, and " +
        "reading that answer. Every variant sends the same bodies; each run measures the three in turn.",
      `E.164 fast path, differential run: ${agreement.checked.toLocaleString("en")} numbers (random digits after ` +
        "every calling code, and libphonenumber-js's mobile examples with a digit inserted, removed or changed); the " +
        `fast path answered ${agreement.answered.toLocaleString("en")}, and disagreed with libphonenumber-js on ` +
        `${agreement.disagreements.length}${agreement.disagreements.length ? `: ${agreement.disagreements.slice(0, 5).join(", ")}` : ""}.`,
    ],
    ...(agreement.disagreements.length && { error: "the E.164 fast path disagrees with libphonenumber-js" }),
    seconds: (performance.now() - start) / 1000,
  };
}

function bodyOf(recipients: number, next: () => number): NkiSendRequest {
  const Users = Array.from({ length: recipients }, (_, i) => ({
    FirstName: `Namn${i}`,
    Phone: `+4670${String(next() % 1e7).padStart(7, "0")}`,
  }));
  return { Users, From: "Acme", Message: "Hur nöjd är du?" };
}

/** src/phone-e164.ts against libphonenumber-js on `perCode` random numbers per calling code, and every example. */
function phoneAgreement(perCode: number) {
  const metadata = metadataJson as unknown as { country_calling_codes: object; nonGeographic: object };
  const plans = (metadataJson as unknown as { countries: Record<string, [string]> }).countries;
  const numbers: string[] = [];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
  for (const code of [...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic)]) {
    for (let i = 0; i < perCode; i++) numbers.push(`+${code}${digits(2 + Math.floor(Math.random() * 14))}`);
  }
  for (const [country, national] of Object.entries(mobileExamples as Record<string, string>)) {
    const code = `+${plans[country]?.[0]}`;
    for (let at = 0; at < national.length; at++) {
      const d = digits(1);
      numbers.push(code + national, code + national.slice(0, at) + national.slice(at + 1));
      numbers.push(
        code + national.slice(0, at) + d + national.slice(at),
        code + national.slice(0, at) + d + national.slice(at + 1),
      );
    }
  }
  let answered = 0;
  const disagreements: string[] = [];
  for (const number of numbers) {
    const fast = checkE164(number);
    if (!fast) continue;
    answered++;
    const parsed = parsePhoneNumberFromString(number, { extract: false });
    const valid = parsed?.isValid() ?? false;
    if (fast.valid !== valid || (fast.valid && (parsed?.number !== number || parsed?.country !== fast.country))) {
      disagreements.push(number);
    }
  }
  return { checked: numbers.length, answered, disagreements };
}
