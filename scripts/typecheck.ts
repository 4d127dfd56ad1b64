// The typecheck, with TypeScript 7's native compiler (installed as `typescript7`), about 6x faster than 5.9 (which
// openapi-typescript still needs for its own API, hence both). The pipeline checks the library project (src/ and
// generated/); `npm run typecheck` checks the whole repo (tsconfig.json).
import { execFile } from "node:child_process";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { root, runIfMain } from "./lib/project.js";
import { packageFile } from "./lib/run-node.js";

/** What ships: src/ and generated/. */
export const LIBRARY_PROJECT = "tsconfig.lib.json";

/** The native compiler's path, as its own wrapper finds it (the platform package that npm installed). */
async function nativeTsc(): Promise<string> {
  const getExePath = await import(pathToFileURL(packageFile("typescript7", "lib/getExePath.js")).href);
  return (getExePath as { default: () => string }).default();
}

/** Typechecks `project`; rejects with "Typecheck failed:" and the compiler's output when it finds errors. */
export async function typecheck(project = "tsconfig.json", { cwd = root } = {}) {
  try {
    // The binary itself: its Node wrapper would cost a second Node start-up on Node 20.
    await promisify(execFile)(await nativeTsc(), ["--noEmit", "-p", project], { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Typecheck failed:\n${stdout}${stderr}`.trimEnd());
  }
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/typecheck.ts [project]
Typechecks with TypeScript 7's native tsc. Without a project: tsconfig.json (the whole repo).`,
  async (args) => {
    await typecheck(args[0]);
    process.stdout.write("typecheck: ok\n");
    return 0;
  },
);
