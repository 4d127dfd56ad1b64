// Step 5: typecheck against the fresh types. The pipeline checks the library project (src/ and generated/: what
// ships, and the code the generated files must satisfy); `npm test` checks the whole repo (tsconfig.json).
// It runs TypeScript 7's native tsc (installed as `typescript7`), about 6x faster than 5.9; openapi-typescript
// still uses TypeScript 5.9's JS API, which is why both are installed.
import { root, runIfMain } from "./lib/project.js";
import { packageFile, runNodeScript } from "./lib/run-node.js";

/** What ships: src/ and generated/. */
export const LIBRARY_PROJECT = "tsconfig.lib.json";

const tsc = packageFile("typescript7", "bin/tsc");

/** Runs `tsc --noEmit -p <project>` in `cwd`; throws "Typecheck failed:" and tsc's output when it finds errors. */
export async function typecheck(project = "tsconfig.json", cwd = root): Promise<void> {
  await runNodeScript("Typecheck", tsc, ["--noEmit", "-p", project], {}, cwd);
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
