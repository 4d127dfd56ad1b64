// 2. Client overhead, over real loopback HTTP: ops/s of one send by plain fetch, bare openapi-fetch and ip1-nki's
// sendNki (validation, E.164, de-duplication, the one-shot body, the bounded read, redaction), with 1 and 100
// recipients, each call's phones new or the same every call; then the E.164 fast path's differential run.
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { root } from "../scripts/lib/project.js";
import { createIp1Client } from "../src/index.js";
import type { NkiSendRequest } from "../src/types-entry.js";
import { startFaultServer } from "../test/support/fault-server.js";
import { firstLine, opsPerSecond, timeCommand } from "./lib/command.js";
import { type BenchContext, currentLoad } from "./lib/context.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";

const NKI = 42;
// The goal (÷ openapi-fetch ≥ 0.9) is judged at 1 and 100 recipients with new phones.
const CASES = [1, 100, 100].map((recipients, i) => ({ recipients, fresh: i < 2, goal: i < 2 }));

export async function clientOverheadBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const load = currentLoad();
  const figures: Figure[] = [];
  for (const { recipients, fresh, goal } of CASES) {
    let next = 0; // fresh phones: a number no call has sent before, in E.164 as most callers hold them
    const same = bodyOf(recipients, () => next++);
    const body = fresh ? () => bodyOf(recipients, () => next++) : () => same;
    const iterations = ctx.quick ? 200 : 1000;
    const samples = { fetch: [] as number[], openapiFetch: [] as number[], sendNki: [] as number[] };
    // Run 0 warms up and is not kept. A fresh fake IP1 for each run, since it keeps every request it is sent.
    for (let run = 0; run <= ctx.runs; run++) {
      ctx.log(`client: ${recipients} ${fresh ? "fresh" : "repeated"}, run ${run}/${ctx.runs}`);
      const fake = await startFaultServer({ accept: true });
      const bare = createClient<paths>({ baseUrl: fake.url, headers: { authorization: "Bearer bench-token" } });
      const client = createIp1Client({ baseUrl: fake.url, token: "bench-token", env: {} });
      const variants = {
        fetch: async () => {
          const headers = { "content-type": "application/json", authorization: "Bearer bench-token" };
          const init = { method: "POST", headers, body: JSON.stringify(body()) };
          return (await fetch(`${fake.url}/api/nkis/${NKI}/users/send`, init)).json();
        },
        openapiFetch: () => bare.POST("/api/nkis/{nki}/users/send", { params: { path: { nki: NKI } }, body: body() }),
        sendNki: () => client.sendNki(NKI, body()),
      };
      // Paired: each run measures every variant, each run starting with the next, so load falls on all of them.
      const names = Object.keys(variants) as (keyof typeof variants)[];
      for (const name of [...names.slice(run % 3), ...names.slice(0, run % 3)]) {
        const opsPerS = await opsPerSecond(variants[name], run === 0 ? iterations / 5 : iterations);
        if (run > 0) samples[name].push(opsPerS);
      }
      await fake.close();
    }
    const what = `${recipients} recipient${recipients > 1 ? "s" : ""}, ${fresh ? "new" : "the same"} phones each call`;
    const ops = (name: string, label: string, samples: number[], anchor?: Figure) =>
      figure({
        id: `client.${recipients}.${fresh}.${name}`,
        label: `${label}, ${what}`,
        unit: "ops/s",
        samples,
        ...(anchor && { anchor: anchorOf(anchor) }),
      });
    const plain = ops("fetch", "plain fetch", samples.fetch);
    const openapi = ops("openapi-fetch", "bare openapi-fetch", samples.openapiFetch, plain);
    const ours = ops("sendNki", "ip1-nki sendNki", samples.sendNki, openapi);
    if (goal)
      ours.goal = { text: "÷ openapi-fetch ≥ 0.9", met: ours.ratio === undefined ? undefined : ours.ratio >= 0.9 };
    figures.push(ours, openapi, plain);
  }
  // The E.164 fast path's larger differential run: the suite's property test at 100 times its cases.
  ctx.log("client: the E.164 fast path against libphonenumber-js (test/property/phone-e164.test.ts, 50,000 cases)");
  const vitest = ["node_modules/vitest/vitest.mjs", "run", "test/property/phone-e164.test.ts"];
  const env = { ...process.env, FC_NUM_RUNS: "50000", NO_COLOR: "1" };
  const differential = await timeCommand(process.execPath, vitest, { cwd: root, env });
  return {
    id: "client",
    title: "2. Client overhead (loopback HTTP)",
    figures,
    notes: [
      `Load average at the start: ${load.toFixed(2)} (2 cores, shared). µs per call = 1,000,000 ÷ ops/s.`,
      "One op = one POST to a loopback fake IP1 (test/support/fault-server.ts, `accept`: one record per recipient) " +
        "and reading its answer. Every variant sends the same bodies; each run measures the three in turn.",
      `E.164 fast path vs libphonenumber-js, FC_NUM_RUNS=50000: ${differential.code === 0 ? "agrees" : "DISAGREES"}.`,
    ],
    ...(differential.code !== 0 && { error: `the E.164 fast path disagrees: ${firstLine(differential)}` }),
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
