// Step 6: typecheck against the fresh types. The pipeline checks the library project (src/ and generated/: what
// ships, and the code the generated files must satisfy); `npm test` checks the whole repo (tsconfig.json).
// It runs TypeScript 7's native compiler (installed as `typescript7`), about 6x faster than 5.9; openapi-typescript
// still uses TypeScript 5.9's JS API, which is why both are installed. The binary is run directly: its `bin/tsc` is a
// Node wrapper that, on Node 20, costs a second Node start-up and stands between us and the process we may cancel.
import { execFile } from "node:child_process";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { root, runIfMain } from "./lib/project.js";
import { packageFile } from "./lib/run-node.js";

/** What ships: src/ and generated/. */
export const LIBRARY_PROJECT = "tsconfig.lib.json";

/** The whole repo, and the pipeline's files again under the rule Node's type stripping imposes. */
const WHOLE_REPO = ["tsconfig.json", "tsconfig.pipeline.json"];

/** The native compiler's path, as its own wrapper finds it (the platform package that npm installed). */
async function nativeTsc(): Promise<string> {
  const { default: getExePath } = (await import(
    pathToFileURL(packageFile("typescript7", "lib/getExePath.js")).href
  )) as {
    default: () => string;
  };
  return getExePath();
}

export interface TypecheckOptions {
  /** The folder `project` is relative to. Default: this project's root. */
  cwd?: string;
  /** Stops the compiler; the promise then rejects with an AbortError. */
  signal?: AbortSignal | undefined;
}

/** Typechecks `project`; rejects with "Typecheck failed:" and the compiler's output when it finds errors. */
export async function typecheck(project = "tsconfig.json", { cwd = root, signal }: TypecheckOptions = {}) {
  try {
    await promisify(execFile)(await nativeTsc(), ["--noEmit", "-p", project], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      ...(signal && { signal }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Typecheck failed:\n${stdout}${stderr}`.trimEnd());
  }
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/typecheck.ts [project]
Typechecks with TypeScript 7's native tsc. Without a project: ${WHOLE_REPO.join(" and ")} (the whole repo).`,
  async (args) => {
    for (const project of args[0] ? [args[0]] : WHOLE_REPO) await typecheck(project);
    process.stdout.write("typecheck: ok\n");
    return 0;
  },
);
