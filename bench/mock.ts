// 6. The simulator (ip1-nki/mock) next to Prism: in process, the first answer after creating it and sends/s through
// the real client; over HTTP, start-up and sends/s of `ip1-nki mock` and of Prism, in the same run.
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../scripts/lib/free-port.js";
import { startPrism } from "../scripts/lib/prism.js";
import { fromRoot, root } from "../scripts/lib/project.js";
import { createIp1Client } from "../src/index.js";
import { createIp1Mock } from "../src/mock/index.js";
import { firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, figure, type Section } from "./lib/figures.js";
import { opsPerSecond } from "./lib/ops.js";
import type { MockChildResult } from "./mock-child.js";
import { tenRecipients } from "./mock-requests.js";

async function firstAnswer(): Promise<MockChildResult> {
  const run = await timeCommand(process.execPath, ["--import", "tsx", "bench/mock-child.ts"], { cwd: root });
  if (run.code !== 0) throw new Error(`bench/mock-child.ts exited ${run.code}: ${firstLine(run)}`);
  return JSON.parse(run.stdout) as MockChildResult;
}

/** Sends `count` requests of 10 recipients one after another through the real client; returns sends/s. */
function sendsPerSecond(client: ReturnType<typeof createIp1Client>, count: number, offset: number) {
  let send = offset;
  return opsPerSecond(() => client.sendNki(42, tenRecipients(send++)), count);
}

/** `ip1-nki mock` in its own process group, ready once it answers HTTP; the time is from spawn until then. */
async function startSimulatorProcess(): Promise<{ url: string; ms: number; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const start = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", fromRoot("src/cli/main.ts"), "mock", "--port", String(port)],
    { cwd: root, detached: true, stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error("ip1-nki mock did not answer within 30 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 5)); // poll interval, as in startPrism (which polls every 50)
    }
  }
  return { url, ms: performance.now() - start, stop };
}

export async function mockBench(ctx: BenchContext): Promise<Section> {
  const started = performance.now();
  const inProcessSends = ctx.quick ? 500 : 2000;
  const httpSends = ctx.quick ? 100 : 300;
  const samples = {
    importMs: [] as number[],
    firstAnswerMs: [] as number[],
    inProcess: [] as number[],
    canned: [] as number[],
    simulatorStartMs: [] as number[],
    prismStartMs: [] as number[],
    simulatorHttp: [] as number[],
    prismHttp: [] as number[],
  };

  const mock = createIp1Mock();
  const inProcess = createIp1Client({ token: "bench", env: {}, fetch: mock.fetch });
  // The anchor: the same client on a fetch that returns a fixed 10-record answer (the simulator's own, captured once),
  // so the ratio is the simulator's share, whatever the machine's load.
  const cannedAnswer = JSON.stringify(await inProcess.sendNki(42, tenRecipients(0)));
  const canned = createIp1Client({
    token: "bench",
    env: {},
    fetch: async () => new Response(cannedAnswer, { status: 200, headers: { "Content-Type": "application/json" } }),
  });
  await sendsPerSecond(inProcess, inProcessSends / 5, 0); // warm-up: let the JIT settle
  await sendsPerSecond(canned, inProcessSends / 5, 0);
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`mock: run ${run}/${ctx.runs}: first answer, in-process sends, then HTTP (simulator, Prism)`);
    const child = await firstAnswer();
    samples.importMs.push(child.importMs);
    samples.firstAnswerMs.push(child.firstAnswerMs);
    mock.reset();
    samples.inProcess.push(await sendsPerSecond(inProcess, inProcessSends, run * 100_000));
    samples.canned.push(await sendsPerSecond(canned, inProcessSends, run * 100_000));

    const simulator = await startSimulatorProcess();
    try {
      samples.simulatorStartMs.push(simulator.ms);
      const client = createIp1Client({ token: "bench", env: {}, baseUrl: simulator.url });
      await sendsPerSecond(client, 20, 0);
      samples.simulatorHttp.push(await sendsPerSecond(client, httpSends, run * 100_000));
    } finally {
      await simulator.stop();
    }

    const prismStart = performance.now();
    const prism = await startPrism(fromRoot("generated/openapi.json"));
    try {
      samples.prismStartMs.push(performance.now() - prismStart);
      const client = createIp1Client({ token: "bench", env: {}, baseUrl: prism.url });
      await sendsPerSecond(client, 20, 0);
      samples.prismHttp.push(await sendsPerSecond(client, httpSends, run * 100_000));
    } finally {
      await prism.stop();
    }
  }

  const cannedFigure = figure({
    id: "mock.in-process-canned",
    label: "in process: the same client on a canned 10-record fetch",
    unit: "ops/s",
    samples: samples.canned,
  });
  const prismStart = figure({
    id: "mock.http.prism-start",
    label: "Prism start-up (until it answers)",
    unit: "ms",
    samples: samples.prismStartMs,
  });
  const prismHttp = figure({
    id: "mock.http.prism-sends",
    label: "Prism over HTTP: sends/s (10 recipients each)",
    unit: "ops/s",
    samples: samples.prismHttp,
  });
  return {
    id: "mock",
    title: "6. The simulator (ip1-nki/mock) and Prism",
    figures: [
      figure({
        id: "mock.first-answer",
        label: "in process: createIp1Mock() → first answer (fresh process)",
        unit: "ms",
        samples: samples.firstAnswerMs,
        goal: { text: "≤ 50 ms", met: (median) => median <= 50 },
      }),
      figure({
        id: "mock.import",
        label: "in process: importing the client and ip1-nki/mock (fresh process, tsx)",
        unit: "ms",
        samples: samples.importMs,
      }),
      figure({
        id: "mock.in-process-sends",
        label: "in process: sends/s through the real client (10 recipients each)",
        unit: "ops/s",
        samples: samples.inProcess,
        anchor: anchorOf(cannedFigure),
        goal: { text: "≥ 2,000 sends/s", met: (median) => median >= 2000 },
      }),
      cannedFigure,
      figure({
        id: "mock.http.simulator-start",
        label: "ip1-nki mock start-up (spawn until it answers, tsx)",
        unit: "ms",
        samples: samples.simulatorStartMs,
        anchor: anchorOf(prismStart),
      }),
      prismStart,
      figure({
        id: "mock.http.simulator-sends",
        label: "ip1-nki mock over HTTP: sends/s (10 recipients each)",
        unit: "ops/s",
        samples: samples.simulatorHttp,
        anchor: anchorOf(prismHttp),
      }),
      prismHttp,
    ],
    notes: [
      `In process: the bench's own process, after ${inProcessSends / 5} warm-up sends; each run is ${inProcessSends} ` +
        "sequential `sendNki` calls on `createIp1Client({ fetch: mock.fetch })`, 10 new Swedish mobiles per call " +
        "(normalized, de-duplicated, priced and recorded in the ledger). First answer: a fresh `node --import tsx " +
        "bench/mock-child.ts`, timed from `createIp1Mock()` until the first 10-recipient send resolves (imports done " +
        "before, and reported on their own). The canned anchor runs right after the simulator in each run: the " +
        "client alone, so the ratio shows how much of a send is the simulator's.",
      `Over HTTP: each run spawns \`ip1-nki mock\` (\`node --import tsx src/cli/main.ts mock\`) and Prism ` +
        "(`startPrism` on generated/openapi.json), each in its own process; start-up is from spawn until it answers " +
        `HTTP; then ${httpSends} sequential sends through the real client (after 20 warm-up sends). Prism answers the ` +
        "spec's fixed two-record example; the simulator answers 10 records per send.",
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
