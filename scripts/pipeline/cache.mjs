// A run whose key (sha256 of every input) is the last good run's, with generated/ still as it wrote it, has nothing to
// do. Plain JavaScript (types in cache.d.mts), so run.mjs answers "nothing to do" without loading tsx.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fromRoot = (/** @type {string} */ path) => join(root, path);

// What the outputs depend on: the spec, its config, the pipeline's own code, the project's version (package.json) and
// the exact libraries installed (package-lock.json); the Node major is added to them.
// biome-ignore format: a short list reads best on one line
export const KEY_INPUTS = ["spec", "redocly.yaml", "scripts/pipeline", "scripts/lib", "package.json", "package-lock.json"];

/** The last good run: its key, and the sha256 of each file it left in generated/. */
export const CACHE_FILE = "node_modules/.cache/ip1-nki/pipeline.json";

const sha256 = (/** @type {string | Buffer} */ data) => createHash("sha256").update(data).digest("hex");

/** Every file under `path` (or `path` itself), relative to the root, sorted. */
function filesUnder(/** @type {string} */ path) {
  if (!statSync(fromRoot(path)).isDirectory()) return [path];
  return readdirSync(fromRoot(path), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length))
    .sort();
}

/** What a run with nothing to do prints. */
export function nothingToDo(/** @type {boolean} */ check) {
  const wall = `pipeline${check ? " --check" : ""}: ${performance.now().toFixed(0)} ms wall`;
  return `${wall}, nothing to do (generated/ is what these inputs make)\n`;
}

/** The run's key; undefined without package-lock.json (pnpm, yarn), where the libraries' versions are unknown. */
export function runKey(nodeMajor = process.versions.node.split(".")[0]) {
  if (!existsSync(fromRoot("package-lock.json"))) return undefined;
  const hash = createHash("sha256").update(`node ${nodeMajor}\n`);
  for (const file of KEY_INPUTS.flatMap(filesUnder)) {
    const bytes = readFileSync(fromRoot(file));
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest("hex");
}

/** True when the last good run had this key and every file it wrote is still there, unchanged. */
export function upToDate(/** @type {string} */ key) {
  let record;
  try {
    record = JSON.parse(readFileSync(fromRoot(CACHE_FILE), "utf8"));
  } catch {
    return false; // none yet, or unreadable: regenerate
  }
  if (record.key !== key || typeof record.outputs !== "object") return false;
  return Object.entries(record.outputs).every(
    ([path, digest]) => existsSync(fromRoot(path)) && sha256(readFileSync(fromRoot(path))) === digest,
  );
}

/** Records a good run. Written whole (a temporary file, renamed); a cache that cannot be written only costs speed. */
export function remember(/** @type {string} */ key, /** @type {Record<string, string>} */ outputs) {
  const digests = Object.fromEntries(Object.entries(outputs).map(([path, content]) => [path, sha256(content)]));
  const file = fromRoot(CACHE_FILE);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}`; // a PID may repeat (another PID namespace)
    writeFileSync(temporary, JSON.stringify({ key, outputs: digests }));
    renameSync(temporary, file);
  } catch {
    // an unwritable cache (read-only or full disk): the next run regenerates
  }
}
