// One cache key for the whole run: a run whose key matches the last good run's, and whose generated files are still
// byte for byte what that run wrote, has nothing to do. The key is a sha256 of everything the outputs depend on.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fromRoot } from "../lib/project.js";
import type { Outputs } from "./step.js";

// What the outputs depend on: the spec, its config, the pipeline's own code, the project's version (package.json) and
// the exact libraries installed (package-lock.json); the Node major is added to them.
// biome-ignore format: a short list reads best on one line
export const KEY_INPUTS = ["spec", "redocly.yaml", "scripts/pipeline", "scripts/lib", "package.json", "package-lock.json"];

/** The last good run: its key, and the sha256 of each file it left in generated/. */
export const CACHE_FILE = "node_modules/.cache/ip1-nki/pipeline.json";

type CacheRecord = { key: string; outputs: { [path: string]: string } };

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Every file under `path` (or `path` itself), relative to the root, sorted. */
function filesUnder(path: string): string[] {
  if (!statSync(fromRoot(path)).isDirectory()) return [path];
  return readdirSync(fromRoot(path), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(fromRoot("").length))
    .sort();
}

/** The run's key; undefined without package-lock.json (pnpm, yarn), where the libraries' versions are unknown. */
export function runKey(nodeMajor = process.versions.node.split(".")[0]): string | undefined {
  if (!existsSync(fromRoot("package-lock.json"))) return undefined;
  const hash = createHash("sha256").update(`node ${nodeMajor}\n`);
  for (const file of KEY_INPUTS.flatMap(filesUnder)) {
    const bytes = readFileSync(fromRoot(file));
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest("hex");
}

/** True when the last good run had this key and every file it wrote is still there, unchanged. */
export function upToDate(key: string): boolean {
  let record: CacheRecord;
  try {
    record = JSON.parse(readFileSync(fromRoot(CACHE_FILE), "utf8")) as CacheRecord;
  } catch {
    return false; // none yet, or unreadable: regenerate
  }
  if (record.key !== key || typeof record.outputs !== "object") return false;
  return Object.entries(record.outputs).every(
    ([path, digest]) => existsSync(fromRoot(path)) && sha256(readFileSync(fromRoot(path))) === digest,
  );
}

/** Records a good run. Written whole (a temporary file, renamed); a cache that cannot be written only costs speed. */
export function remember(key: string, outputs: Outputs): void {
  const record: CacheRecord = {
    key,
    outputs: Object.fromEntries(Object.entries(outputs).map(([path, content]) => [path, sha256(content)])),
  };
  const file = fromRoot(CACHE_FILE);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(record));
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // an unwritable cache (read-only or full disk): the next run regenerates
  }
}
