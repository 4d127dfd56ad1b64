// Each pipeline step's output, kept under node_modules/.cache/ip1-nki/pipeline/ by the hash of its inputs
// (step-inputs.ts), so a run with nothing changed does nothing. An entry only says what the step would produce: the
// pipeline still compares that with the files on disk, so a hand-edited generated/ file is always caught.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromRoot } from "./project.js";

/** Generated file (relative to the root) → its content. A check step (lint, typecheck) has none. */
export type StepOutputs = Record<string, string>;

/** Where the entries are, relative to a project's root (the bench and the tests clear it in their copies). */
export const STEP_CACHE = "node_modules/.cache/ip1-nki/pipeline";
const STEP_CACHE_DIR = fromRoot(STEP_CACHE);

/** Entries kept per step: enough to switch between a few branches without regenerating. */
const KEPT_PER_STEP = 8;

interface Entry {
  step: string;
  key: string;
  /** sha256 of the outputs as stored, so a torn or edited entry is never used. */
  digest: string;
  outputs: StepOutputs;
}

const entryPath = (step: string, key: string) => join(STEP_CACHE_DIR, `${step}-${key}.json`);
const digestOf = (outputs: StepOutputs) => createHash("sha256").update(JSON.stringify(outputs)).digest("hex");

/** The outputs stored for `step` under `key`, or undefined when there are none or the entry is damaged. */
export function readStepCache(step: string, key: string): StepOutputs | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryPath(step, key), "utf8")) as Entry;
  } catch {
    return undefined; // missing, or torn: the step runs and writes a whole entry
  }
  const whole =
    entry.step === step &&
    entry.key === key &&
    typeof entry.outputs === "object" &&
    entry.outputs !== null &&
    Object.values(entry.outputs).every((content) => typeof content === "string") &&
    entry.digest === digestOf(entry.outputs);
  return whole ? entry.outputs : undefined;
}

/**
 * Stores `outputs` for `step` under `key`. The entry is written to a temporary file and renamed into place, so a
 * reader sees a whole entry or none, even with two pipelines running. A cache that cannot be written (read-only,
 * full disk) only costs speed.
 */
export function writeStepCache(step: string, key: string, outputs: StepOutputs): void {
  const entry: Entry = { step, key, digest: digestOf(outputs), outputs };
  const target = entryPath(step, key);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(STEP_CACHE_DIR, { recursive: true });
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, target);
    pruneStep(step);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** Keeps the newest KEPT_PER_STEP entries of `step`. */
function pruneStep(step: string): void {
  const entries = readdirSync(STEP_CACHE_DIR)
    .filter((name) => name.startsWith(`${step}-`) && name.endsWith(".json"))
    .map((name) => ({ path: join(STEP_CACHE_DIR, name), mtime: statSync(join(STEP_CACHE_DIR, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of entries.slice(KEPT_PER_STEP)) rmSync(path, { force: true });
}
