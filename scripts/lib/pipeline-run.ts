// One run of the pipeline: which steps must run, which can be taken from the cache, and the order that lets the slow
// parts overlap. Each step's output is stored by the hash of its inputs (step-inputs.ts, step-cache.ts); a library is
// imported only by the step that runs it, so a run with nothing to do loads none of them.
//
// Where the time goes on a cold run, and why the work is laid out this way:
// - types: loading TypeScript 5.9 (for openapi-typescript) is the longest single load, so a worker thread starts it
//   at once, while this thread loads Redocly, bundles, lints and makes the validators (in --watch, where the worker
//   is warm, it makes those too);
// - typecheck: the native compiler runs as its own process from the start, on the files as they are. Regenerating
//   usually changes nothing (a fresh clone, a pull with no spec change), and then that result stands; when a file
//   did change, that early run is stopped and the typecheck runs again on the new files.
import type { OpenApiDocument } from "../bundle.js";
import { LIBRARY_PROJECT } from "../typecheck.js";
import { type GeneratorWorker, startGeneratorWorker } from "./generator-worker.js";
import { generatedFiles, loadSpecConfig, readText, type SpecConfig } from "./project.js";
import { readStepCache, type StepOutputs, writeStepCache } from "./step-cache.js";
import { hashInputs, type StepInputs } from "./step-inputs.js";
import { isStale, writeIfChanged } from "./write.js";

const SPEC = ["spec", "redocly.yaml"];

/**
 * What decides each step's output. (generator-worker.ts is in no key: it only carries a request to the generator
 * module and its answer back.)
 */
const inputsOf = {
  lint: { paths: SPEC, code: ["scripts/lint.ts"], libraries: ["@redocly/openapi-core"] },
  bundle: { paths: SPEC, code: ["scripts/bundle.ts"], libraries: ["@redocly/openapi-core"] },
  // redocly.yaml holds openapi-typescript's options.
  types: (bundle: string) => ({
    paths: ["redocly.yaml"],
    values: { bundle },
    code: ["scripts/gen-types.ts"],
    libraries: ["openapi-typescript", "typescript"],
  }),
  validators: (bundle: string) => ({
    values: { bundle },
    code: ["scripts/gen-validators.ts"],
    libraries: ["ajv"],
  }),
  version: { paths: ["package.json"], code: ["scripts/gen-version.ts"] },
  // Every file the compiler reads: ours, the configs, package.json (its exports map resolves "ip1-nki"), and every
  // installed package (types come from many of them).
  typecheck: {
    paths: ["src", "generated", "tsconfig.json", LIBRARY_PROJECT, "package.json"],
    code: ["scripts/typecheck.ts"],
    libraries: "all",
  },
} satisfies Record<string, StepInputs | ((bundle: string) => StepInputs)>;

export type StepName = keyof typeof inputsOf;

/** The order the summary lists the steps in (they finish in another order: several run side by side). */
export const SUMMARY_ORDER: readonly (StepName | "config")[] = [
  "config",
  "bundle",
  "lint",
  "types",
  "validators",
  "version",
  "typecheck",
];

/** A step's time in ms, or "cached" when its output came from the cache. */
export interface StepTiming {
  step: StepName | "config";
  ms: number | "cached";
}

export interface PipelineResult {
  timings: StepTiming[];
  /** Generated files that differ from what is on disk (and were written, unless `check`). */
  changed: string[];
}

/** Loaded once per process, and only when a step needs them; `--watch` keeps them between runs. */
export interface Warm {
  config?: { source: string; loaded: Promise<SpecConfig> };
  worker?: GeneratorWorker;
  /** Replaces the typecheck step (--watch keeps a compiler warm); gets the files that changed. */
  typecheck?: (changed: readonly string[]) => Promise<void>;
}

export async function runPipeline({ check = false, warm = {} as Warm, timings = [] as StepTiming[] } = {}) {
  const run = new Run(warm, timings);
  try {
    return await run.all(check);
  } finally {
    run.cancelEarlyTypecheck();
  }
}

class Run {
  /** The typecheck started before generation; `done` resolves with how long it took. */
  private earlyTypecheck: { done: Promise<number>; abort: AbortController } | undefined;

  private readonly warm: Warm;
  private readonly timings: StepTiming[];

  constructor(warm: Warm, timings: StepTiming[]) {
    this.warm = warm;
    this.timings = timings;
  }

  async all(check: boolean): Promise<PipelineResult> {
    const { typecheck: warmTypecheck } = this.warm;
    const typecheckKey = warmTypecheck ? undefined : hashInputs("typecheck", inputsOf.typecheck);
    const typecheckDone = typecheckKey !== undefined && readStepCache("typecheck", typecheckKey) !== undefined;
    if (!typecheckDone && !warmTypecheck) this.startEarlyTypecheck();

    const outputs = await this.generate();
    const changed = Object.entries(outputs)
      .filter(([path, content]) => (check ? isStale(path, content) : writeIfChanged(path, content)))
      .map(([path]) => path);
    // With stale files a typecheck would check the old ones; the staleness is the failure to report.
    if (check && changed.length > 0) return { timings: this.timings, changed };
    if (warmTypecheck) {
      // --watch's warm compiler: fast, but it knows only the edits it is told of, so its verdict is never stored.
      await this.step("typecheck", undefined, async () => {
        await warmTypecheck(changed);
        return {};
      });
    } else if (changed.length === 0 && typecheckDone) this.timings.push({ step: "typecheck", ms: "cached" });
    else
      await this.typecheck(changed.length === 0 ? typecheckKey : hashInputs("typecheck", inputsOf.typecheck), changed);
    return { timings: this.timings, changed };
  }

  /** Steps 1–5: every generated file's content, keyed by its path. */
  private async generate(): Promise<StepOutputs> {
    const lintKey = hashInputs("lint", inputsOf.lint);
    const bundleKey = hashInputs("bundle", inputsOf.bundle);
    const cachedBundle = bundleKey && readStepCache("bundle", bundleKey);
    // A warm worker (--watch) makes the validators while this thread lints. On a cold run it is still loading
    // TypeScript when the bundle is ready, so this thread makes them too.
    const validatorsOnWorker = this.warm.worker !== undefined;
    // A new bundle almost always means new types: start loading TypeScript before Redocly is even loaded.
    if (!cachedBundle) this.worker();

    // Loading Redocly (most of a second) is its own line in the summary, not part of whichever step needs it first.
    if (!cachedBundle || !(lintKey && readStepCache("lint", lintKey))) await this.config();

    let document: OpenApiDocument | undefined;
    const bundled = await this.step("bundle", bundleKey, async () => {
      const { bundleSpec } = await import("../bundle.js");
      const result = await bundleSpec(await this.config());
      document = result.document;
      return { [generatedFiles.bundle]: result.text };
    });
    const bundle = bundled[generatedFiles.bundle] as string;
    const parsed = () => (document ??= JSON.parse(bundle) as OpenApiDocument);

    // Types are made on the worker while this thread lints; nothing is written unless lint passes.
    const types = this.step("types", hashInputs("types", inputsOf.types(bundle)), async () => {
      const { typesOptions } = await this.config();
      return { [generatedFiles.types]: await this.worker().types(parsed(), typesOptions) };
    });
    const validators = this.step("validators", hashInputs("validators", inputsOf.validators(bundle)), async () => {
      const { code, types } = validatorsOnWorker
        ? await this.worker().validators(parsed())
        : (await import("../gen-validators.js")).generateValidators(parsed());
      return { [generatedFiles.validators]: code, [generatedFiles.validatorTypes]: types };
    });
    const version = this.step("version", hashInputs("version", inputsOf.version), async () => {
      const { generateVersion } = await import("../gen-version.js");
      const { code, types } = generateVersion();
      return { [generatedFiles.version]: code, [generatedFiles.versionTypes]: types };
    });
    for (const pending of [types, validators, version]) pending.catch(() => {}); // awaited below, unless lint fails
    await this.step("lint", lintKey, async () => {
      const { lintSpec } = await import("../lint.js");
      await lintSpec(await this.config());
      return {};
    });
    return { ...(await version), ...bundled, ...(await types), ...(await validators) };
  }

  /** Runs `work` unless the cache holds its output for `key`; stores what it makes (never a failure). */
  private async step(step: StepName, key: string | undefined, work: () => Promise<StepOutputs>) {
    const cached = key === undefined ? undefined : readStepCache(step, key);
    if (cached) {
      this.timings.push({ step, ms: "cached" });
      return cached;
    }
    const start = performance.now();
    const outputs = await work();
    this.timings.push({ step, ms: performance.now() - start });
    if (key !== undefined) writeStepCache(step, key, outputs);
    return outputs;
  }

  /** The typecheck of the files now on disk: the early one when they are the files it read, else a new one. */
  private async typecheck(key: string | undefined, changed: readonly string[]) {
    const early = this.earlyTypecheck;
    this.earlyTypecheck = undefined;
    if (early && changed.length === 0) {
      // Its result stands: it checked the very files that are on disk now. Its time is its own, not our wait.
      const ms = await early.done;
      this.timings.push({ step: "typecheck", ms });
      if (key !== undefined) writeStepCache("typecheck", key, {});
      return;
    }
    early?.abort.abort();
    await this.step("typecheck", key, async () => {
      await (await import("../typecheck.js")).typecheck(LIBRARY_PROJECT);
      return {};
    });
  }

  private startEarlyTypecheck() {
    const abort = new AbortController();
    const start = performance.now();
    const done = import("../typecheck.js")
      .then(({ typecheck }) => typecheck(LIBRARY_PROJECT, { signal: abort.signal }))
      .then(() => performance.now() - start);
    done.catch(() => {}); // awaited only when its result is used
    this.earlyTypecheck = { done, abort };
  }

  cancelEarlyTypecheck() {
    this.earlyTypecheck?.abort.abort();
    this.earlyTypecheck = undefined;
  }

  /** Redocly's config, loaded again whenever redocly.yaml's text changed (--watch keeps it between runs). */
  private config(): Promise<SpecConfig> {
    const source = readText("redocly.yaml");
    if (this.warm.config?.source !== source) {
      const loaded = this.timed("config", loadSpecConfig);
      // A failed load is not kept for the next --watch run.
      loaded.catch(() => {
        if (this.warm.config?.loaded === loaded) this.warm.config = undefined;
      });
      this.warm.config = { source, loaded };
    }
    return this.warm.config.loaded;
  }

  private worker(): GeneratorWorker {
    this.warm.worker ??= startGeneratorWorker();
    return this.warm.worker;
  }

  private async timed<T>(step: "config", work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const result = await work();
    this.timings.push({ step, ms: performance.now() - start });
    return result;
  }
}
