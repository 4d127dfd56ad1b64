// 6. The simulator (ip1-nki/mock) in process: its first answer in a fresh process, and sends/s through the client.
import { root } from "../scripts/lib/project.js";
import { createIp1Client } from "../src/index.js";
import { createIp1Mock } from "../src/mock/index.js";
import type { NkiSendRequest } from "../src/types-entry.js";
import { firstLine, opsPerSecond, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { figure, type Section } from "./lib/figures.js";

/** The send the mock benchmarks repeat: 10 Swedish mobiles, new for every request so no cache flatters the mock. */
export function tenRecipients(send: number): NkiSendRequest {
  const Users = Array.from({ length: 10 }, (_, i) => ({
    FirstName: `Kund ${i}`,
    Phone: `+4670${String((send * 10 + i) % 10_000_000).padStart(7, "0")}`,
  }));
  const Message = "Tack för ditt besök! Hur nöjd är du med oss? Svara här: https://nki.example/s";
  return { Users, From: "Acme", Message };
}

export async function mockBench(ctx: BenchContext): Promise<Section> {
  const started = performance.now();
  const sends = ctx.quick ? 500 : 2000;
  const [firstAnswer, perSecond] = [[] as number[], [] as number[]];
  const mock = createIp1Mock();
  const client = createIp1Client({ token: "bench", env: {}, fetch: mock.fetch });
  let send = 0;
  const sendAll = (count: number) => opsPerSecond(() => client.sendNki(42, tenRecipients(send++)), count);
  await sendAll(sends / 5); // warm-up: let the JIT settle
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`mock: run ${run}/${ctx.runs}`);
    const child = await timeCommand(process.execPath, ["--import", "tsx", "bench/mock-child.ts"], { cwd: root });
    if (child.code !== 0) throw new Error(`bench/mock-child.ts exited ${child.code}: ${firstLine(child)}`);
    firstAnswer.push((JSON.parse(child.stdout) as { firstAnswerMs: number }).firstAnswerMs);
    mock.reset();
    perSecond.push(await sendAll(sends));
  }
  return {
    id: "mock",
    title: "6. The simulator (ip1-nki/mock)",
    figures: [
      figure({
        id: "mock.first-answer",
        label: "createIp1Mock() → first answer (fresh process)",
        unit: "ms",
        samples: firstAnswer,
        goal: { text: "≤ 50 ms", met: (median) => median <= 50 },
      }),
      figure({
        id: "mock.in-process-sends",
        label: "sends/s through the real client (10 recipients each)",
        unit: "ops/s",
        samples: perSecond,
        goal: { text: "≥ 2,000 sends/s", met: (median) => median >= 2000 },
      }),
    ],
    notes: [
      `${sends} sequential \`sendNki\` calls per run on \`createIp1Client({ fetch: mock.fetch })\`, 10 new Swedish ` +
        "mobiles per call, after a warm-up. First answer: a fresh `node --import tsx bench/mock-child.ts`, from " +
        "`createIp1Mock()` until the first send resolves (imports done before).",
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
