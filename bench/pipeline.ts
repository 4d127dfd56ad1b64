// 1. The pipeline as users run it, on this machine's Node: after a spec edit, cold, with nothing to do and in --watch;
// next to the chain of CLIs doing the same work after the same edit (redocly lint and bundle, openapi-typescript, tsc).
import { rmSync } from "node:fs";
import { packageFile } from "../scripts/lib/run-node.js";
import { CACHE_FILE } from "../scripts/pipeline/cache.mjs";
import { readNpmScript } from "../test/support/npm-script.js";
import { start } from "../test/support/processes.js";
import { copyProject, type ProjectCopy } from "../test/support/project-copy.js";
import { type CommandRun, firstLine, timeCommand } from "./lib/command.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, type FigureSpec, failureSummary, figure, type Section } from "./lib/figures.js";

const SPEC_FILE = "spec/components/schemas/NkiUser.yaml";

type Samples = { ms: number[]; failures: string[] };
const samples = (): Samples => ({ ms: [], failures: [] });

function record(into: Samples, run: CommandRun, what: string, check = (_: CommandRun) => true) {
  into.ms.push(run.ms);
  if (run.code !== 0 || !check(run)) into.failures.push(`${what}: ${firstLine(run)}`);
}

/** A new maxLength (the validators change) and description (the types change, so --watch typechecks again). */
let edits = 0;
const editSpec = (copy: ProjectCopy) =>
  copy.write(
    SPEC_FILE,
    copy
      .read(SPEC_FILE)
      .replace(/maxLength: \d+/, `maxLength: ${100 + ++edits}`)
      .replace(/description: Contact first name.*/, `description: Contact first name, edit ${edits}`),
  );

/** The chain: each CLI in its own Node, one after another (TypeScript 5.9's tsc); its time is the sum. */
async function runChain(copy: ProjectCopy): Promise<CommandRun> {
  const redocly = packageFile("@redocly/cli", "bin/cli.js");
  const steps = [
    [redocly, "lint"],
    [redocly, "bundle", "spec/openapi.yaml", "-o", copy.path("chain-bundle.json")],
    // The CLI reads input and output from redocly.yaml's `apis:` but not `rootTypes`; the flags make the same file.
    [packageFile("openapi-typescript", "bin/cli.js"), "--root-types", "--root-types-no-schema-prefix"],
    [packageFile("typescript", "bin/tsc"), "--noEmit", "-p", "tsconfig.lib.json"],
  ];
  const total: CommandRun = { ms: 0, code: 0, stdout: "", stderr: "" };
  for (const args of steps) {
    const run = await timeCommand(process.execPath, args, { cwd: copy.dir });
    total.ms += run.ms;
    if (total.code === 0) Object.assign(total, { code: run.code, stdout: run.stdout, stderr: run.stderr });
  }
  return total;
}

/** Milliseconds from saving a spec edit until --watch prints that it regenerated and typechecked. */
async function watchEdits(copy: ProjectCopy, command: [string, string[]], edits: number): Promise<Samples> {
  const into = samples();
  const watcher = start(command[0], [...command[1], "--watch"], { cwd: copy.dir });
  const runs = (output: string) => (output.match(/^regenerated in \d+ ms$|^\(done: /gm) ?? []).length;
  try {
    await watcher.waitForOutput((output) => runs(output) > 0);
    for (let edit = 0; edit <= edits; edit++) {
      const [before, savedAt] = [runs(watcher.stdout + watcher.stderr), process.hrtime.bigint()];
      editSpec(copy);
      await watcher.waitForOutput((output) => runs(output) > before);
      if (edit > 0) into.ms.push(Number(process.hrtime.bigint() - savedAt) / 1e6); // edit 0 warms up
    }
  } finally {
    await watcher.stop();
  }
  const output = watcher.stdout + watcher.stderr;
  if (output.includes("(done: ")) into.failures.push(output.slice(output.indexOf("(done: ") - 300));
  return into;
}

export async function pipelineBench(ctx: BenchContext): Promise<Section> {
  const started = performance.now();
  const copy = copyProject("ip1-nki-bench-pipeline-");
  const [pipeline, chain59, cold, noop] = [samples(), samples(), samples(), samples()];
  try {
    const command = readNpmScript(copy.dir, "pipeline");
    const runPipeline = () => timeCommand(command[0], command[1], { cwd: copy.dir });
    await runPipeline(); // tsx's transform cache, as after any earlier run
    for (let run = 1; run <= ctx.runs; run++) {
      ctx.log(`pipeline: run ${run}/${ctx.runs}`);
      // The two take turns at going first, so neither always runs on a cache the other warmed.
      for (const variant of run % 2 ? (["pipeline", "chain"] as const) : (["chain", "pipeline"] as const)) {
        if (variant === "pipeline") {
          editSpec(copy);
          record(pipeline, await runPipeline(), "after an edit");
          record(noop, await runPipeline(), "no-op", (result) => result.stdout.includes("nothing to do"));
          rmSync(copy.path(CACHE_FILE), { force: true });
          record(cold, await runPipeline(), "cold");
        } else {
          editSpec(copy);
          record(chain59, await runChain(copy), "chain (TS 5.9)");
        }
      }
    }
    ctx.log("pipeline: --watch");
    const watch = await watchEdits(copy, command, ctx.runs);
    const ms = (id: string, label: string, of: Samples, more: Partial<FigureSpec> = {}) =>
      figure({ id, label, unit: "ms", samples: of.ms, failed: failureSummary(of.failures, ctx.runs), ...more });
    const chainLabel = "CLI chain after a spec edit (redocly lint + bundle, openapi-typescript, TS 5.9 tsc)";
    const chain = ms("pipeline.chain", chainLabel, chain59);
    const anchor = anchorOf(chain);
    return {
      id: "pipeline",
      title: "1. Pipeline",
      figures: [
        chain,
        ms("pipeline.edit", "npm run pipeline after a spec edit (regenerate + typecheck)", pipeline, {
          anchor,
          goal: { text: "≥ 2.5× faster than the chain", met: (_median, ratio) => ratio !== undefined && ratio <= 0.4 },
        }),
        ms("pipeline.cold", "npm run pipeline cold (no cache record, generated/ as committed)", cold, { anchor }),
        ms("pipeline.noop", "npm run pipeline with nothing to do", noop, {
          anchor,
          goal: {
            text: "≤ 300 ms and ≤ 1/10 of the chain",
            met: (median, ratio) => median <= 300 && ratio !== undefined && ratio <= 0.1,
          },
        }),
        ms("pipeline.watch", "--watch: spec saved → regenerated and typechecked", watch, {
          goal: { text: "≤ 500 ms", met: (median) => median <= 500 },
        }),
      ],
      notes: [
        `Node ${process.version}. The pipeline is package.json's \`scripts.pipeline\` run with this Node and no npm, ` +
          "in a temporary copy of the project, from spawn to exit. Each run first sets a maxLength in " +
          `${SPEC_FILE} to a new value, so every output changes. The chain runs each CLI in its own Node after its ` +
          "own edit, and makes no validators. The two take turns. **No-op**: right after a run. **Cold**: the cache " +
          "record removed. **--watch**: from writing the edit to the `regenerated in N ms` line (one warm-up edit).",
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    copy.remove();
  }
}
