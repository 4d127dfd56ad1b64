// A throw-away copy of the project for benchmarks that write (the pipeline, the CLI chain, watch-mode edits), so
// the real work tree is never touched. Its node_modules is a directory of its own whose entries are symlinks to the
// real project's packages: the copy resolves the very same packages (Node follows a symlink to the package's real
// path, and resolves that package's own dependencies from there), but whatever a run writes under
// node_modules/.cache (the pipeline's step cache, Node's compile cache) lands in the copy.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../../scripts/lib/project.js";

/** What the pipeline and the CLI chain read and write (test/ too: src/ may import its support code). */
const COPIED = [
  "test",
  "spec",
  "scripts",
  "src",
  "generated",
  "redocly.yaml",
  "tsconfig.json",
  "tsconfig.lib.json",
  "tsconfig.pipeline.json",
  "package.json",
];

/**
 * node_modules entries that are not linked: the caches (the copy starts with none and fills its own), and npm's
 * record of what is installed, copied as a file because the step cache hashes it and must find it at the copy's path.
 */
const NOT_LINKED = new Set([".cache", ".package-lock.json"]);

export interface TempProject {
  dir: string;
  remove(): void;
}

export function createTempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-bench-"));
  try {
    for (const entry of COPIED) cpSync(fromRoot(entry), join(dir, entry), { recursive: true });
    linkNodeModules(realpathSync(fromRoot("node_modules")), join(dir, "node_modules"));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `to` becomes a real directory holding one symlink per top-level entry of `from` (scopes, `.bin` included). */
function linkNodeModules(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    if (NOT_LINKED.has(entry)) continue;
    symlinkSync(join(from, entry), join(to, entry), "dir");
  }
  copyFileSync(join(from, ".package-lock.json"), join(to, ".package-lock.json"));
}
