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

/** Runs `node <script> ...args` in `cwd` (the project root) and returns its output; throws with that output when it fails. */
export async function runNodeScript(
  what: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = root,
) {
  try {
    return await promisify(execFile)(process.execPath, [script, ...args], {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${what} failed:\n${stdout}${stderr}`.trimEnd());
  }
}
