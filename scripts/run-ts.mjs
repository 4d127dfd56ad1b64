// `node scripts/run-ts.mjs scripts/<name>.ts [args…]` runs one of our TypeScript scripts with the cheapest loader
// this Node has. It is JavaScript because it must run before anything can load TypeScript.
//
// - Node 22.18+ strips types itself: no transpiler starts. Our imports name `./x.js` for `./x.ts` (as NodeNext
//   wants), so a small in-thread resolve hook maps one to the other.
// - Older Nodes (20) get run-ts-hooks.mjs: esbuild compiles each file once, and the JavaScript is kept.
// - Node 22.1+ keeps V8's compiled code for every module under node_modules/.cache/ip1-nki/v8, so the second run
//   skips compiling Redocly, TypeScript and the rest (0.15–0.25 s of a cold pipeline run: `npm run bench`, lever b).
//
// Hooks and the compile cache belong to one thread: a worker thread calls `prepareThread()` itself.
import module from "node:module";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const COMPILE_CACHE = fileURLToPath(new URL("../node_modules/.cache/ip1-nki/v8", import.meta.url));

/** How this thread loads TypeScript: "strip" (Node's own type stripping) or "esbuild" (run-ts-hooks.mjs). */
export async function prepareThread() {
  module.enableCompileCache?.(COMPILE_CACHE);
  if (process.features.typescript && module.registerHooks) {
    module.registerHooks({ resolve: resolveTsForJs });
    return "strip";
  }
  module.register("./run-ts-hooks.mjs", import.meta.url);
  process.setSourceMapsEnabled(true); // stack traces name lines of the .ts files
  return "esbuild";
}

/** `./x.js` → `./x.ts` when only the TypeScript file exists (relative imports from our own files only). */
function resolveTsForJs(specifier, context, nextResolve) {
  try {
    return nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !specifier.startsWith(".") || !specifier.endsWith(".js")) throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

// Run as a program: the script becomes process.argv[1], so it sees itself as the main module and its own arguments.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [script, ...args] = process.argv.slice(2);
  if (!script) {
    process.stderr.write("Usage: node scripts/run-ts.mjs <script.ts> [args…]\n");
    process.exit(2);
  }
  const path = resolve(script);
  process.argv = [process.argv[0], path, ...args];
  await prepareThread();
  await import(pathToFileURL(path).href);
}
