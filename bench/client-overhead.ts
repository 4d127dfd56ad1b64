// 2. Client overhead: ops/s of one send with the same mocked fetch (no network), for raw fetch + JSON.parse, bare
// openapi-fetch, and ip1-nki's sendNki (validation, typed errors, retry policy and timeout on).
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { readText } from "../scripts/lib/project.js";
import { createIp1Client } from "../src/index.js";
import type { NkiSendRequest } from "../src/types-entry.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, figure, type Section } from "./lib/figures.js";
import { opsPerSecond } from "./lib/ops.js";

const BASE_URL = "https://api.ip1sms.com";
const NKI = 42;

/** The spec's own two-recipient request and answer, so the bench sends what the contract tests send. */
function specExamples(): { request: NkiSendRequest; answer: string } {
  const examples = (
    JSON.parse(readText("generated/openapi.json")) as {
      components: { examples: Record<string, { value: unknown }> };
    }
  ).components.examples;
  const value = (name: string) => {
    const example = examples[name];
    if (!example) throw new Error(`generated/openapi.json has no example ${name}`);
    return example.value;
  };
  return {
    request: value("NkiSendRequestTwoRecipients") as NkiSendRequest,
    answer: JSON.stringify(value("OutgoingSmsListTwoRecipients")),
  };
}

export async function clientOverheadBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const { request, answer } = specExamples();
  // Every variant gets this very fetch: a new 200 Response with the fixed two-record JSON body, nothing else.
  const mockFetch = async (_input: RequestInfo | URL, _init?: RequestInit) =>
    new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
  const bare = createClient<paths>({ baseUrl: BASE_URL, fetch: mockFetch });
  const client = createIp1Client({ baseUrl: BASE_URL, token: "bench-token", fetch: mockFetch, env: {} });
  const variants = {
    raw: async () => {
      const response = await mockFetch(`${BASE_URL}/api/nkis/${NKI}/users/send`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer bench-token" },
        body: JSON.stringify(request),
      });
      return response.json();
    },
    openapiFetch: () => bare.POST("/api/nkis/{nki}/users/send", { params: { path: { nki: NKI } }, body: request }),
    ours: () => client.sendNki(NKI, request),
  };
  const iterations = ctx.quick ? 1000 : 5000;
  const samples: Record<keyof typeof variants, number[]> = { raw: [], openapiFetch: [], ours: [] };
  for (const op of Object.values(variants)) await opsPerSecond(op, iterations / 5); // warm-up: let the JIT settle
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`client overhead: run ${run}/${ctx.runs}`);
    // Interleaved, so a noisy moment on the machine lands on every variant rather than on one.
    for (const [name, op] of Object.entries(variants)) {
      samples[name as keyof typeof variants].push(await opsPerSecond(op, iterations));
    }
  }
  const raw = figure({ id: "client.raw-fetch", label: "raw fetch + JSON parse", unit: "ops/s", samples: samples.raw });
  const openapiFetch = figure({
    id: "client.openapi-fetch",
    label: "bare openapi-fetch POST",
    unit: "ops/s",
    samples: samples.openapiFetch,
    anchor: anchorOf(raw),
  });
  return {
    id: "client",
    title: "2. Client overhead",
    figures: [
      figure({
        id: "client.sendNki",
        label: "ip1-nki sendNki (validation on)",
        unit: "ops/s",
        samples: samples.ours,
        anchor: anchorOf(openapiFetch),
        goal: { text: "ip1-nki / openapi-fetch ≥ 0.9", met: (_, ratio) => ratio !== undefined && ratio >= 0.9 },
      }),
      openapiFetch,
      raw,
    ],
    notes: [
      `One op = one POST of the spec's two-recipient example and reading the two-record answer. Each run is ` +
        `${iterations} ops in a row (a fixed count, not a fixed time), after ${iterations / 5} warm-up ops per variant; ` +
        "the variants take turns within each run.",
      "The mocked fetch is injected (never patched globally) and returns `new Response(body)` with the spec's " +
        "two-record example; no network, so the figures are the clients' own cost.",
      "ip1-nki does more per call than openapi-fetch: validates the request (ajv), builds a per-request timeout " +
        "signal, checks the credential guard, and parses the body itself to type its errors.",
    ],
    seconds: (performance.now() - start) / 1000,
  };
}
