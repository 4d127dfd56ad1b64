// Loader hooks for a Node without type stripping (Node 20), registered by run-ts.mjs. Each of our .ts files is
// compiled by esbuild once: the JavaScript is kept under node_modules/.cache/ip1-nki/ts/ by a hash of the file's
// path, its source and esbuild's version, so a run where nothing changed starts no compiler at all. (tsx did the same
// job here for about 130 ms more start-up per thread.)
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CACHE = fileURLToPath(new URL("../node_modules/.cache/ip1-nki/ts", import.meta.url));
const require = createRequire(import.meta.url);
const ESBUILD_VERSION = require("esbuild/package.json").version;

/** `./x.js` → `./x.ts` when only the TypeScript file exists (relative imports from our own files only). */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !specifier.startsWith(".") || !specifier.endsWith(".js")) throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts") || url.includes("/node_modules/")) return nextLoad(url, context);
  const source = readFileSync(fileURLToPath(url), "utf8");
  // <file>-<content>.js: a file's older compilations are found by name, and removed when it is compiled again.
  const file = createHash("sha256").update(url).digest("hex").slice(0, 16);
  const content = createHash("sha256").update(`${ESBUILD_VERSION}\0${source}`).digest("hex").slice(0, 32);
  const cached = join(CACHE, `${file}-${content}.js`);
  let code;
  try {
    code = readFileSync(cached, "utf8");
  } catch {
    code = compile(source, url);
    keep(file, cached, code);
  }
  return { format: "module", source: code, shortCircuit: true };
}

/** Keeps `code` as the one compilation of `file`; a cache that cannot be written (a full disk) only costs speed. */
function keep(file, cached, code) {
  const temporary = `${cached}.${process.pid}.tmp`;
  try {
    mkdirSync(CACHE, { recursive: true });
    for (const old of readdirSync(CACHE)) if (old.startsWith(`${file}-`)) rmSync(join(CACHE, old), { force: true });
    writeFileSync(temporary, code);
    renameSync(temporary, cached); // whole or absent, even with two runs at once
  } catch {
    rmSync(temporary, { force: true });
  }
}

function compile(source, url) {
  const { transformSync } = require("esbuild");
  return transformSync(source, {
    loader: "ts",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcefile: fileURLToPath(url),
    sourcemap: "inline",
    // Imports stay exactly as written (`import type` is how a type-only import is marked, as Node's stripping wants).
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  }).code;
}
