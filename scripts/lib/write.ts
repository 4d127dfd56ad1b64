// The only way scripts write generated files: compare first, so an unchanged file keeps its bytes and mtime,
// and the pipeline can say which files changed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fromRoot } from "./project.js";

/** Returns true when the file on disk differs from `content` (or is missing). */
export function isStale(path: string, content: string): boolean {
  const absolute = fromRoot(path);
  return !existsSync(absolute) || readFileSync(absolute, "utf8") !== content;
}

/** Writes `content` to `path` (relative to the root) unless it is already there; returns whether it wrote. */
export function writeIfChanged(path: string, content: string): boolean {
  if (!isStale(path, content)) return false;
  const absolute = fromRoot(path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
  return true;
}
