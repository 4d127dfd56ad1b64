// Runs a dependency's CLI with this very Node (no npx, no shell), so a script behaves the same from npm, tsx and
// tests, and a failure carries the tool's own output.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { root } from "./project.js";

const require = createRequire(import.meta.url);

/** The absolute path of `file` inside the installed package `name` (found from its package.json: few packages export their bins). */
export const packageFile = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file);

/** Runs `node <script> ...args` in the project root and returns its output; throws with that output when it fails. */
export const runNodeScript = (what: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runTool(what, process.execPath, [script, ...args], { env: { ...process.env, ...env } });

type ToolOptions = { cwd?: string; env?: NodeJS.ProcessEnv };

/** Runs `file ...args` (in the project root unless `cwd`); throws "`what` failed:" and the tool's output. */
export async function runTool(what: string, file: string, args: string[], options: ToolOptions) {
  try {
    return await promisify(execFile)(file, args, { cwd: root, ...options, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${what} failed:\n${stdout}${stderr}`.trimEnd());
  }
}
