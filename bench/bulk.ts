// 5. Bulk sends through sendNkiBulk: 10,000 recipients against Prism and against a loopback fake, and how peak RSS
// grows from 1,000 to 100,000 recipients. Every send runs in a fresh child process (bench/bulk-child.ts).

import { fromRoot, root } from "../scripts/lib/project.js";
import { startFaultServer } from "../test/support/fault-server.js";
import { startPrism } from "../test/support/prism.js";
import type { BulkChildResult } from "./bulk-child.js";
import { firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";
import { addSample } from "./lib/stats.js";

const THROUGHPUT_RECIPIENTS = 10_000;
const RSS_SIZES = [1_000, 100_000] as const;
const GROWTH_GOAL_MB = 50;

/** "send" keeps every record (the default), "lean" sends with keepMessages: false, "input" only builds the list. */
type ChildMode = "send" | "lean" | "input";

async function runChild(baseUrl: string, recipients: number, mode: ChildMode = "send"): Promise<BulkChildResult> {
  const args = ["--import", "tsx", "bench/bulk-child.ts", baseUrl, String(recipients)];
  const flag = { send: [], lean: ["--lean"], input: ["--input-only"] }[mode];
  const result = await timeCommand(process.execPath, [...args, ...flag], { cwd: root });
  if (result.code !== 0) throw new Error(`bench/bulk-child.ts exited ${result.code}: ${firstLine(result)}`);
  return JSON.parse(result.stdout) as BulkChildResult;
}

interface Throughput {
  requestsPerSecond: number[];
  recipientsPerSecond: number[];
  peakRssMb: number[];
  unsent: number;
}

async function throughput(ctx: BenchContext, target: string, baseUrl: string): Promise<Throughput> {
  const runs: Throughput = { requestsPerSecond: [], recipientsPerSecond: [], peakRssMb: [], unsent: 0 };
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`bulk: ${THROUGHPUT_RECIPIENTS} recipients → ${target}, run ${run}/${ctx.runs}`);
    const result = await runChild(baseUrl, THROUGHPUT_RECIPIENTS);
    runs.requestsPerSecond.push(result.requests / (result.ms / 1000));
    runs.recipientsPerSecond.push(result.recipients / (result.ms / 1000));
    runs.peakRssMb.push(result.peakRssMb);
    runs.unsent += result.unsentChunks;
  }
  return runs;
}

function throughputFigures(target: "prism" | "fake", runs: Throughput, anchors?: Figure[]): Figure[] {
  const name = target === "prism" ? "Prism mock" : "loopback fake";
  const failed = runs.unsent > 0 ? `${runs.unsent} chunk(s) were not sent` : undefined;
  const specs = [
    { key: "requests-per-s", label: "requests/s", unit: "req/s", samples: runs.requestsPerSecond },
    { key: "recipients-per-s", label: "recipients/s", unit: "recipients/s", samples: runs.recipientsPerSecond },
    { key: "peak-rss", label: "peak RSS", unit: "MB", samples: runs.peakRssMb },
  ] as const;
  return specs.map((spec, i) =>
    figure({
      id: `bulk.${target}.${spec.key}`,
      label: `10,000 recipients → ${name}: ${spec.label}`,
      unit: spec.unit,
      samples: [...spec.samples],
      anchor: anchors?.[i] && anchorOf(anchors[i]),
      failed,
    }),
  );
}

/** Peak RSS per size, sending and (to separate the caller's own list) only building the list; runs interleaved. */
async function rssGrowth(ctx: BenchContext, baseUrl: string) {
  const peak: Record<string, number[]> = {};
  for (let run = 1; run <= ctx.runs; run++) {
    for (const size of RSS_SIZES) {
      ctx.log(`bulk: peak RSS, ${size} recipients, run ${run}/${ctx.runs}`);
      addSample(peak, `send.${size}`, (await runChild(baseUrl, size)).peakRssMb);
      addSample(peak, `lean.${size}`, (await runChild(baseUrl, size, "lean")).peakRssMb);
      addSample(peak, `input.${size}`, (await runChild(baseUrl, size, "input")).peakRssMb);
    }
  }
  const at = (key: string) => peak[key] ?? [];
  const growth = (kind: string) =>
    at(`${kind}.${RSS_SIZES[1]}`).map((mb, i) => mb - (at(`${kind}.${RSS_SIZES[0]}`)[i] ?? 0));
  const small = figure({
    id: "bulk.rss.1k",
    label: "peak RSS, 1,000 recipients (fake)",
    unit: "MB",
    samples: at(`send.${RSS_SIZES[0]}`),
  });
  const sendGrowth = figure({
    id: "bulk.rss.growth",
    label: "RSS growth, 1,000 → 100,000 recipients",
    unit: "MB",
    samples: growth("send"),
    anchor: anchorOf(small),
    goal: { text: `flat: < +${GROWTH_GOAL_MB} MB`, met: (median) => median < GROWTH_GOAL_MB },
  });
  const leanGrowth = figure({
    id: "bulk.rss.growth-lean",
    label: "RSS growth, 1,000 → 100,000 recipients, keepMessages: false",
    unit: "MB",
    samples: growth("lean"),
    anchor: anchorOf(small),
    goal: { text: `flat: < +${GROWTH_GOAL_MB} MB`, met: (median) => median < GROWTH_GOAL_MB },
  });
  return [
    sendGrowth,
    leanGrowth,
    small,
    figure({
      id: "bulk.rss.100k",
      label: "peak RSS, 100,000 recipients (fake)",
      unit: "MB",
      samples: at(`send.${RSS_SIZES[1]}`),
      anchor: anchorOf(small),
    }),
    figure({
      id: "bulk.rss.input-growth",
      label: "of which the caller's own list (build it, send nothing)",
      unit: "MB",
      samples: growth("input"),
      anchor: anchorOf(sendGrowth),
    }),
  ];
}

export async function bulkBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const fake = await startFaultServer({ accept: true });
  try {
    const prism = await startPrism(fromRoot("generated/openapi.json"));
    let prismRuns: Throughput;
    try {
      prismRuns = await throughput(ctx, "Prism", prism.url);
    } finally {
      await prism.stop();
    }
    const fakeFigures = throughputFigures("fake", await throughput(ctx, "fake", fake.url));
    const prismFigures = throughputFigures("prism", prismRuns, fakeFigures);
    const growth = await rssGrowth(ctx, fake.url);
    return {
      id: "bulk",
      title: "5. Bulk sends",
      figures: [...fakeFigures, ...prismFigures, ...growth],
      notes: [
        "Each send is `client.sendNkiBulk(42, {Users, From, Message})` with the defaults (1,000 recipients per " +
          "request, 2 in flight), in a fresh `node --import tsx bench/bulk-child.ts` process; rates are over " +
          "sendNkiBulk's own duration (process start-up excluded); peak RSS is that process's `resourceUsage().maxRSS`.",
        "Loopback fake: a node:http server on 127.0.0.1 in the bench's own process, answering each request with a " +
          "valid 200 array of one OutgoingSms per recipient (not an injected fetch: the client's real HTTP path runs). " +
          "Prism: `startPrism` on generated/openapi.json; it validates each request and answers with the spec's " +
          "two-record example; Prism ratios are to the fake.",
        "RSS growth = peak RSS at 100,000 recipients − at 1,000, paired run by run; the fake serves the 100,000 " +
          "case. “The caller's own list” is the same difference for a process that only builds the Users array: " +
          "memory that is the caller's, not the client's. sendNkiBulk keeps every returned record (BulkResult.chunks " +
          "and its summary) by default, so that growth includes 100,000 OutgoingSms objects; with keepMessages: false " +
          "records reach only onProgress, and the summary keeps just failed and unknown-status ones.",
      ],
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    await fake.close();
  }
}
