// A throw-away copy of the project for benchmarks that write (the pipeline, the CLI chain, watch-mode edits), so
// the real work tree is never touched. node_modules is a symlink: the copy resolves the very same packages.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
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
  "package.json",
];

export interface TempProject {
  dir: string;
  remove(): void;
}

export function createTempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-bench-"));
  for (const entry of COPIED) cpSync(fromRoot(entry), join(dir, entry), { recursive: true });
  symlinkSync(fromRoot("node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
