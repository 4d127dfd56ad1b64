// `npm run build` (and `npm pack`/`npm publish`, through prepack): the published dist/.
// esbuild bundles each entry into readable ESM (not minified; dependencies stay imports, so openapi-fetch is
// installed, not copied), sharing code between entries through dist/chunks/. The generated validators are bundled
// in, so the package needs no generated/*.js at run time. TypeScript 7's tsc writes the declarations
// (tsconfig.build.json); they import ../generated/schema.js, which the package ships as generated/schema.d.ts.
import { readdirSync, rmSync, statSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { type BuildOptions, build } from "esbuild";
import { fromRoot, runIfMain } from "./lib/project.js";
import { packageFile, runNodeScript } from "./lib/run-node.js";

export const DIST = "dist";

/** Each published JavaScript file (dist/NAME.js) and its source; package.json's exports and bin point at these. */
export const entryPoints = {
  index: "src/index.ts",
  "types-entry": "src/types-entry.ts",
  cli: "src/cli/main.ts",
  mock: "src/mock/index.ts",
  "mock-msw": "src/mock/msw.ts",
} as const;

/** How dist/ is bundled; test/at-most-once builds the CLI the same way into a directory of its own. */
export const bundleOptions = {
  absWorkingDir: fromRoot("."),
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  packages: "external",
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
} as const satisfies BuildOptions;

const tsc = packageFile("typescript7", "bin/tsc");

export interface BuildResult {
  /** Every file written under dist/, relative to the root, with its size in bytes. */
  files: { path: string; bytes: number }[];
  ms: number;
}

export async function buildPackage(): Promise<BuildResult> {
  const started = performance.now();
  rmSync(fromRoot(DIST), { recursive: true, force: true });
  const [bundle] = await Promise.all([
    build({ ...bundleOptions, entryPoints, outdir: DIST }),
    runNodeScript("tsc (declarations)", tsc, ["-p", "tsconfig.build.json"]),
  ]);
  const declarations = readdirSync(fromRoot(DIST), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".d.ts"))
    .map((name) => ({ path: `${DIST}/${name}`, bytes: statSync(fromRoot(`${DIST}/${name}`)).size }));
  const scripts = Object.entries(bundle.metafile.outputs).map(([path, { bytes }]) => ({ path, bytes }));
  return {
    files: [...scripts, ...declarations].sort((a, b) => a.path.localeCompare(b.path)),
    ms: Math.round(performance.now() - started),
  };
}

runIfMain(
  import.meta.url,
  `
Usage: npm run build   (also run by npm pack and npm publish)
Writes dist/: ${Object.keys(entryPoints)
    .map((name) => `${name}.js`)
    .join(", ")} (ESM, bundled by esbuild) and the .d.ts files (tsc).`,
  async () => {
    const { files, ms } = await buildPackage();
    const total = files.reduce((sum, file) => sum + file.bytes, 0);
    process.stdout.write(`build: ${files.length} files, ${(total / 1024).toFixed(1)} KiB in ${DIST}/ (${ms} ms)\n`);
    return 0;
  },
);
