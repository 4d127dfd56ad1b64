// 6. The simulator (ip1-nki/mock) next to Prism: in process, the first answer after creating it and sends/s through
// the real client; over HTTP, start-up and sends/s of `ip1-nki mock` and of Prism, in the same run.
import { spawn } from "node:child_process";
import { fromRoot, root } from "../scripts/lib/project.js";
import { createIp1Client } from "../src/index.js";
import { createIp1Mock } from "../src/mock/index.js";
import { freePort } from "../test/support/free-port.js";
import { startPrism } from "../test/support/prism.js";
import { firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, figure, type Section } from "./lib/figures.js";
import { opsPerSecond } from "./lib/ops.js";
import type { MockChildResult } from "./mock-child.js";
import { tenRecipients } from "./mock-requests.js";

/** Sends `count` requests of 10 recipients one after another through the real client; returns sends/s. */
function sendsPerSecond(client: ReturnType<typeof createIp1Client>, count: number, offset: number) {
  let send = offset;
  return opsPerSecond(() => client.sendNki(42, tenRecipients(send++)), count);
}

/** `ip1-nki mock` in its own process group, ready once it answers HTTP. */
async function startSimulator(): Promise<{ url: string; stop(): void }> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const args = ["--import", "tsx", fromRoot("src/cli/main.ts"), "mock", "--port", url.split(":")[2] as string];
  const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: "ignore" });
  const stop = () => child.exitCode === null && process.kill(-(child.pid as number), "SIGKILL");
  for (const deadline = Date.now() + 30_000; ; ) {
    try {
      await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) });
      return { url, stop };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        stop();
        throw new Error("ip1-nki mock did not answer within 30 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 5)); // poll interval, not a readiness guess
    }
  }
}

/** Start-up (from the call until it answers) and sends/s over HTTP of a server started by `start`. */
async function overHttp(start: () => Promise<{ url: string }>, stop: (server: never) => unknown, sends: number) {
  const started = performance.now();
  const server = await start();
  const startMs = performance.now() - started;
  try {
    const client = createIp1Client({ token: "bench", env: {}, baseUrl: server.url });
    await sendsPerSecond(client, 20, 0); // warm-up
    return { startMs, sendsPerSecond: await sendsPerSecond(client, sends, 1_000_000) };
  } finally {
    await stop(server as never);
  }
}

export async function mockBench(ctx: BenchContext): Promise<Section> {
  const started = performance.now();
  const inProcessSends = ctx.quick ? 500 : 2000;
  const httpSends = ctx.quick ? 100 : 300;
  const keys = ["firstAnswer", "inProcess", "simStart", "prismStart", "simHttp", "prismHttp"] as const;
  const s = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<(typeof keys)[number], number[]>;
  const mock = createIp1Mock();
  const inProcess = createIp1Client({ token: "bench", env: {}, fetch: mock.fetch });
  await sendsPerSecond(inProcess, inProcessSends / 5, 0); // warm-up: let the JIT settle
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`mock: run ${run}/${ctx.runs}: first answer, in-process sends, then HTTP (simulator, Prism)`);
    const child = await timeCommand(process.execPath, ["--import", "tsx", "bench/mock-child.ts"], { cwd: root });
    if (child.code !== 0) throw new Error(`bench/mock-child.ts exited ${child.code}: ${firstLine(child)}`);
    s.firstAnswer.push((JSON.parse(child.stdout) as MockChildResult).firstAnswerMs);
    mock.reset();
    s.inProcess.push(await sendsPerSecond(inProcess, inProcessSends, run * 100_000));
    const simulator = await overHttp(startSimulator, (server: { stop(): void }) => server.stop(), httpSends);
    const prism = await overHttp(
      () => startPrism(fromRoot("generated/openapi.json")),
      (server: { stop(): Promise<void> }) => server.stop(),
      httpSends,
    );
    s.simStart.push(simulator.startMs);
    s.simHttp.push(simulator.sendsPerSecond);
    s.prismStart.push(prism.startMs);
    s.prismHttp.push(prism.sendsPerSecond);
  }
  const figures = {
    prismStart: figure({
      id: "mock.http.prism-start",
      label: "Prism start-up",
      unit: "ms",
      samples: s.prismStart,
    }),
    prismHttp: figure({
      id: "mock.http.prism-sends",
      label: "Prism over HTTP",
      unit: "ops/s",
      samples: s.prismHttp,
    }),
  };
  return {
    id: "mock",
    title: "6. The simulator (ip1-nki/mock) and Prism",
    figures: [
      figure({
        id: "mock.first-answer",
        label: "in process: createIp1Mock() → first answer (fresh process)",
        unit: "ms",
        samples: s.firstAnswer,
        goal: { text: "≤ 50 ms", met: (median) => median <= 50 },
      }),
      figure({
        id: "mock.in-process-sends",
        label: "in process: sends/s through the real client (10 recipients each)",
        unit: "ops/s",
        samples: s.inProcess,
        goal: { text: "≥ 2,000 sends/s", met: (median) => median >= 2000 },
      }),
      figure({
        id: "mock.http.simulator-start",
        label: "ip1-nki mock start-up (tsx)",
        unit: "ms",
        samples: s.simStart,
        anchor: anchorOf(figures.prismStart),
      }),
      figures.prismStart,
      figure({
        id: "mock.http.simulator-sends",
        label: "ip1-nki mock over HTTP: sends/s",
        unit: "ops/s",
        samples: s.simHttp,
        anchor: anchorOf(figures.prismHttp),
      }),
      figures.prismHttp,
    ],
    notes: [
      `In process: ${inProcessSends} sequential \`sendNki\` calls on \`createIp1Client({ fetch: mock.fetch })\` per ` +
        "run, 10 new Swedish mobiles per call. First answer: a fresh `node --import tsx bench/mock-child.ts`, from " +
        "`createIp1Mock()` until the first send resolves (imports done before).",
      "Over HTTP: `ip1-nki mock` (`node --import tsx src/cli/main.ts mock`) and Prism (`startPrism`), each in its " +
        `own process; start-up is until it answers HTTP; then ${httpSends} sequential sends (after 20 warm-up). ` +
        "Prism answers the spec's two-record example; the simulator answers 10 records per send.",
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
