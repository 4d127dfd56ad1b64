// The typecheck, with TypeScript 7's native tsc (`typescript7`; openapi-typescript still needs 5.9's API): the pipeline
// checks the library project, `npm run typecheck` the whole repo (tsconfig.json).
import { pathToFileURL } from "node:url";
import { root, runIfMain } from "./lib/project.js";
import { packageFile, runTool } from "./lib/run-node.js";

/** What ships: src/ and generated/. */
export const LIBRARY_PROJECT = "tsconfig.lib.json";

/** TypeScript 7's native tsc, found as its Node wrapper finds it: the wrapper would cost a second Node start-up. */
export async function nativeTsc(): Promise<string> {
  const { default: exePath } = await import(pathToFileURL(packageFile("typescript7", "lib/getExePath.js")).href);
  return (exePath as () => string)();
}

/** Typechecks `project`; rejects with "Typecheck failed:" and the compiler's output when it finds errors. */
export async function typecheck(project = "tsconfig.json", { cwd = root } = {}) {
  await runTool("Typecheck", await nativeTsc(), ["--noEmit", "-p", project], { cwd });
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
