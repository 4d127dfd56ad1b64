// Step 5: typecheck against the fresh types. The pipeline checks the library project (src/ and generated/: what
// ships, and the code the generated files must satisfy); `npm test` checks the whole repo (tsconfig.json).
// It runs TypeScript 7's native tsc (installed as `typescript7`), about 5x faster than 5.9; openapi-typescript
// still uses TypeScript 5.9's JS API, which is why both are installed.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { root, runIfMain } from "./lib/project.js";

// typescript7 exports no bin path, so find its launcher from its package.json.
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript7/package.json")), "bin/tsc");

/** What ships: src/ and generated/. */
export const LIBRARY_PROJECT = "tsconfig.lib.json";

export async function typecheck(project = "tsconfig.json"): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", project], { cwd: root });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Typecheck failed:\n${stdout}${stderr}`.trimEnd());
  }
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/typecheck.ts [project]
Typechecks with TypeScript 7's native tsc; project defaults to tsconfig.json (the whole repo).`,
  async (args) => {
    await typecheck(args[0]);
    process.stdout.write("typecheck: ok\n");
    return 0;
  },
);
