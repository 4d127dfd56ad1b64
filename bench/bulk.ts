// 5. Bulk sends through sendNkiBulk: 10,000 recipients against a loopback fake, and how peak RSS
// grows from 1,000 to 100,000 recipients. Every send runs in a fresh child process (bench/bulk-child.ts).

import { root } from "../scripts/lib/project.js";
import { startFaultServer } from "../test/support/fault-server.js";
import type { BulkChildResult } from "./bulk-child.js";
import { firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";

const THROUGHPUT_RECIPIENTS = 10_000;
const RSS_SIZES = [1_000, 100_000] as const;
const GROWTH_GOAL_MB = 50;
/** "send" keeps every record (the default), "lean" sends with keepMessages: false, "input" only builds the list. */
const RSS_MODES = { send: [], lean: ["--lean"], input: ["--input-only"] };

/** One send in bench/bulk-child.ts; `flags` picks its mode (none: keep every record, the default). */
export async function runChild(baseUrl: string, recipients: number, ...flags: string[]): Promise<BulkChildResult> {
  const args = ["--import", "tsx", "bench/bulk-child.ts", baseUrl, String(recipients), ...flags];
  const result = await timeCommand(process.execPath, args, { cwd: root });
  if (result.code !== 0) throw new Error(`bench/bulk-child.ts exited ${result.code}: ${firstLine(result)}`);
  return JSON.parse(result.stdout) as BulkChildResult;
}

/** Figures of one kind (all MB unless said), each sample a run. */
const fig = (id: string, label: string, samples: number[], more: Partial<Parameters<typeof figure>[0]> = {}) =>
  figure({ id, label, unit: "MB", samples, ...more });

/** requests/s, recipients/s and peak RSS of THROUGHPUT_RECIPIENTS sent to the fake, one child per run. */
async function throughput(ctx: BenchContext, baseUrl: string): Promise<Figure[]> {
  const requests: number[] = [];
  const recipients: number[] = [];
  const rss: number[] = [];
  let unsent = 0;
  for (let run = 1; run <= ctx.runs; run++) {
    ctx.log(`bulk: ${THROUGHPUT_RECIPIENTS} recipients → fake, run ${run}/${ctx.runs}`);
    const result = await runChild(baseUrl, THROUGHPUT_RECIPIENTS);
    requests.push(result.requests / (result.ms / 1000));
    recipients.push(result.recipients / (result.ms / 1000));
    rss.push(result.peakRssMb);
    unsent += result.unsentChunks;
  }
  const failed = unsent ? `${unsent} chunk(s) were not sent` : undefined;
  const label = "10,000 recipients → loopback fake:";
  return [
    fig("bulk.fake.requests-per-s", `${label} requests/s`, requests, { unit: "req/s", failed }),
    fig("bulk.fake.recipients-per-s", `${label} recipients/s`, recipients, { unit: "recipients/s", failed }),
    fig("bulk.fake.peak-rss", `${label} peak RSS`, rss, { failed }),
  ];
}

/** Peak RSS per size, sending and (to separate the caller's own list) only building the list; runs interleaved. */
async function rssGrowth(ctx: BenchContext, baseUrl: string) {
  const peak: Record<string, number[]> = {};
  for (let run = 1; run <= ctx.runs; run++) {
    for (const size of RSS_SIZES) {
      ctx.log(`bulk: peak RSS, ${size} recipients, run ${run}/${ctx.runs}`);
      for (const [mode, flags] of Object.entries(RSS_MODES)) {
        const key = `${mode}.${size}`;
        peak[key] = [...(peak[key] ?? []), (await runChild(baseUrl, size, ...flags)).peakRssMb];
      }
    }
  }
  const at = (key: string) => peak[key] ?? [];
  const growth = (kind: string) =>
    at(`${kind}.${RSS_SIZES[1]}`).map((mb, i) => mb - (at(`${kind}.${RSS_SIZES[0]}`)[i] ?? 0));
  const small = fig("bulk.rss.1k", "peak RSS, 1,000 recipients (fake)", at(`send.${RSS_SIZES[0]}`));
  const goal = { text: `flat: < +${GROWTH_GOAL_MB} MB`, met: (median: number) => median < GROWTH_GOAL_MB };
  const label = "RSS growth, 1,000 → 100,000 recipients";
  const sendGrowth = fig("bulk.rss.growth", label, growth("send"), { anchor: anchorOf(small), goal });
  return [
    sendGrowth,
    fig("bulk.rss.growth-lean", `${label}, keepMessages: false`, growth("lean"), { anchor: anchorOf(small), goal }),
    small,
    fig("bulk.rss.100k", "peak RSS, 100,000 recipients (fake)", at(`send.${RSS_SIZES[1]}`), {
      anchor: anchorOf(small),
    }),
    fig("bulk.rss.input-growth", "of which the caller's own list (build it, send nothing)", growth("input"), {
      anchor: anchorOf(sendGrowth),
    }),
  ];
}

export async function bulkBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const fake = await startFaultServer({ accept: true });
  try {
    const figures = [...(await throughput(ctx, fake.url)), ...(await rssGrowth(ctx, fake.url))];
    return {
      id: "bulk",
      title: "5. Bulk sends",
      figures,
      notes: [
        "Each send is `client.sendNkiBulk(42, {Users, From, Message})` with the defaults (1,000 recipients per " +
          "request, 2 in flight), in a fresh `node --import tsx bench/bulk-child.ts` process; rates are over " +
          "sendNkiBulk's own duration (process start-up excluded); peak RSS is that process's `resourceUsage().maxRSS`.",
        "Loopback fake: test/support/fault-server.ts (`accept`) on 127.0.0.1 in the bench's own process, answering " +
          "each request with a valid 200 array of one OutgoingSms per recipient (the client's real HTTP path runs).",
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
