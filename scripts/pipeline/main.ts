// `npm run pipeline`: the steps in order, in one process, then the typecheck of what ships against the new files. A
// run whose inputs and outputs are those of the last good run does nothing and loads no library (cache.mjs, run.mjs).
import { existsSync, readdirSync, readFileSync, watch } from "node:fs";
import { join } from "node:path";
import { fromRoot, loadSpecConfig, replaceFile, runIfMain } from "../lib/project.js";
import { LIBRARY_PROJECT, typecheck } from "../typecheck.js";
import { bundle, lint } from "./bundle.js";
import { CACHE_FILE, KEY_INPUTS, nothingToDo, remember, runKey, upToDate } from "./cache.mjs";
import type { Outputs, PipelineRun, Step } from "./step.js";
import { type TypeWatch, watchTypes } from "./type-watch.js";
import { types } from "./types.js";
import { validators } from "./validators.js";
import { version } from "./version.js";

/** The steps, in order. Adding a step is one function (see step.ts) and one line here. */
const STEPS: Step[] = [lint, bundle, types, validators, version];

const USAGE = `
Usage: npm run pipeline [-- --check | --watch] [-- --quiet]

Regenerates generated/ from spec/, then typechecks ${LIBRARY_PROJECT} (src/ and generated/) with TypeScript 7:
  ${STEPS.map((step) => step.name).join(" → ")} → typecheck

Nothing runs when the inputs (${KEY_INPUTS.join(", ")} and the Node major)
are those of the last good run, and generated/ is byte for byte what it wrote (${CACHE_FILE}).

Options:
  --check   write nothing; exit 1 naming every generated file that is stale (no typecheck: npm test runs it next)
  --watch   stay running: regenerate on each edit of spec/ or redocly.yaml, typecheck again on each edit of src/ too
  --quiet   print only failures
`;

type Timings = [step: string, ms: number][];

async function timed<T>(timings: Timings, step: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  timings.push([step, performance.now() - start]);
  return result;
}

/** Whether the file at `path` (relative to the root) differs from `content`, or is missing. */
const isStale = (path: string, content: string) =>
  !existsSync(fromRoot(path)) || readFileSync(fromRoot(path), "utf8") !== content;

/** Writes `content` to `path` unless it is already there, so an unchanged file keeps its bytes and mtime. */
function writeIfChanged(path: string, content: string): boolean {
  if (!isStale(path, content)) return false;
  replaceFile(path, content);
  return true;
}

/** Runs the steps in order, then writes the files that differ (`check`: none). Returns those files. */
async function regenerate(timings: Timings, check: boolean): Promise<{ changed: string[]; outputs: Outputs }> {
  const run: PipelineRun = { config: await timed(timings, "config", loadSpecConfig) };
  const outputs: Outputs = {};
  for (const step of STEPS) Object.assign(outputs, await timed(timings, step.name, () => step(run)));
  const changed = Object.entries(outputs)
    .filter(([path, content]) => (check ? isStale(path, content) : writeIfChanged(path, content)))
    .map(([path]) => path);
  return { changed, outputs };
}

function summary(title: string, timings: Timings, changed: readonly string[], label = "changed:"): string {
  const rows = timings.map(([step, ms]) => `  ${step.padEnd(11)} ${`${ms.toFixed(0)} ms`.padStart(9)}`);
  const files = changed.length === 0 ? ["  (none)"] : changed.map((path) => `  ${path}`);
  return [title, ...rows, label, ...files, ""].join("\n");
}

/** `upToDate`: the cache said there was nothing to do; `changed`: the generated files written (`check`: stale). */
export type PipelineResult = { upToDate: boolean; changed: string[]; timings: Timings };

/** One run: nothing when the cache says so, else regenerate (and typecheck, unless `check` or stale). */
export async function runPipeline({ check = false } = {}): Promise<PipelineResult> {
  const key = runKey();
  if (key !== undefined && upToDate(key)) return { upToDate: true, changed: [], timings: [] };
  const timings: Timings = [];
  const { changed, outputs } = await regenerate(timings, check);
  if (check && changed.length > 0) return { upToDate: false, changed, timings };
  if (!check) await timed(timings, "typecheck", () => typecheck(LIBRARY_PROJECT));
  if (key !== undefined) remember(key, outputs);
  return { upToDate: false, changed, timings };
}

async function once(check: boolean, quiet: boolean): Promise<number> {
  const { upToDate, changed, timings } = await runPipeline({ check });
  // performance.now() counts from process start: the wall time a user waits, start-up included.
  const wall = `pipeline${check ? " --check" : ""}: ${performance.now().toFixed(0)} ms wall`;
  if (check && changed.length > 0) {
    process.stderr.write(summary(wall, timings, changed, "stale:"));
    process.stderr.write(`generated/ is stale: ${changed.join(", ")}. Run \`npm run pipeline\` and commit it.\n`);
    return 1;
  }
  if (quiet) return 0;
  process.stdout.write(upToDate ? nothingToDo(check) : summary(wall, timings, changed));
  return 0;
}

/**
 * `--watch`: this process stays warm and regenerates on each edit of spec/ or redocly.yaml; `tsc --watch`
 * (type-watch.ts) checks after each edit of src/ and each run that rewrote a .ts file. A run that rewrote none (a
 * maxLength lands only in the validators' JavaScript) gave tsc the same input, so the last verdict stands.
 */
async function watchSpec(quiet: boolean): Promise<number> {
  let types: TypeWatch | undefined = await watchTypes();
  let running: Promise<void> = Promise.resolve();
  let pending: NodeJS.Timeout | undefined;
  let specEdited = true; // the first run regenerates
  let srcEdited = false;
  let verdict: unknown = "unchecked"; // the last typecheck's error, or undefined when it passed
  const typecheckNow = async () => {
    if (types) {
      const seen = await types.check();
      if (seen !== "missed") {
        if (seen) throw seen;
        return;
      }
      types.stop();
      types = undefined;
      const note = "typecheck: tsc --watch missed an edit (it watches no folder within two levels of /), so a fresh";
      if (!quiet) process.stdout.write(`${note} tsc checks each change from now on\n`);
    }
    await typecheck(LIBRARY_PROJECT);
  };
  const rerun = () => {
    const [generateToo, srcToo, first] = [specEdited, srcEdited, verdict === "unchecked"];
    [specEdited, srcEdited] = [false, false];
    running = running.then(async () => {
      const start = performance.now();
      const timings: Timings = [];
      try {
        const { changed } = generateToo ? await regenerate(timings, false) : { changed: [] };
        const check = srcToo || first || changed.some((path) => path.endsWith(".ts"));
        if (check) {
          verdict = undefined;
          await timed(timings, "typecheck", typecheckNow).catch((error: unknown) => {
            verdict = error;
            throw error;
          });
        } else if (verdict !== undefined) throw verdict;
        const title = `regenerated in ${(performance.now() - start).toFixed(0)} ms`;
        const skipped = check ? "" : "typecheck: no .ts file changed, so the last one's pass stands\n";
        if (!quiet) process.stdout.write(summary(title, timings, changed) + skipped);
      } catch (error) {
        // Still say how far it got: a failing typecheck comes after the files were regenerated.
        const steps = timings.map(([step, ms]) => `${step} ${ms.toFixed(0)} ms`).join(", ");
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n(done: ${steps})\n`);
      }
    });
  };
  const onChange = (spec: boolean) => () => {
    specEdited ||= spec;
    srcEdited ||= !spec;
    clearTimeout(pending);
    pending = setTimeout(rerun, 10); // an editor's save is several events within a few ms; coalesce them
  };
  // Each directory on its own, the root's for redocly.yaml: Node 20's recursive watch, and a watch of the file itself,
  // go deaf after an editor's atomic save (a new file renamed over the old). New directories need a restart. Only files
  // a run reads count: a save's temporary file (NkiUser.yaml.tmp) would start a run on the old text (seen under load).
  const watchTree = (path: string, spec: boolean, read: RegExp) => {
    const dirs = readdirSync(fromRoot(path), { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory());
    const onFile = (_event: string, file: string | null) => (file === null || read.test(file)) && onChange(spec)();
    for (const dir of [fromRoot(path), ...dirs.map((e) => join(e.parentPath, e.name))]) watch(dir, onFile);
  };
  watchTree("spec", true, /\.(ya?ml|json)$/);
  watchTree("src", false, /\.ts$/);
  watch(fromRoot(""), (_event, file) => file === "redocly.yaml" && onChange(true)());
  rerun();
  process.stdout.write("watching spec/, redocly.yaml and src/ (Ctrl-C to stop)\n");
  return new Promise(() => {}); // runs until interrupted
}

runIfMain(import.meta.url, USAGE, async (args) => {
  const quiet = args.includes("--quiet");
  if (args.includes("--watch")) return watchSpec(quiet);
  return once(args.includes("--check"), quiet);
});
