// `npm run build` (and `npm pack`/`npm publish`, through prepack): the published dist/. esbuild bundles each entry
// into readable ESM, sharing code between entries through dist/chunks/, with libphonenumber-js (and its metadata),
// openapi-fetch and the generated validators inside: a cold import loads a few files and looks up no package (about
// 125 files and 45 ms before), and libphonenumber-js (10 MB) is not installed. openapi-fetch stays a dependency for
// the types of `raw`. Issue 23, a cold import in Node: dist/index.js (the "node" condition) holds src/index.ts's
// classes and constants and, for each function, a stub that loads dist/library.js (src/index.ts whole, what bundlers
// get) at its first call; libphonenumber-js and its metadata load at the first phone (src/phone-library-node.ts).
// Other packages stay imports: csv-parse and iconv-lite (CLI), the optional peers (msw, better-sqlite3, pg). TypeScript 7's tsc writes the declarations (tsconfig.build.json); they import
// ../generated/schema.js, which the package ships as generated/schema.d.ts.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build, type Plugin } from "esbuild";
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

/** The packages bundled into dist/; every other package is imported from node_modules at run time. */
const bundledPackages = /^(libphonenumber-js|openapi-fetch)(\/|$)/;

const externalPackages: Plugin = {
  name: "external-packages",
  setup(build) {
    // A bare specifier (not relative, not absolute, not node:) names a package.
    build.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      bundledPackages.test(path) || path.startsWith("node:") ? undefined : { path, external: true },
    );
    // libphonenumber-js's metadata as JSON.parse of a string: V8 reads 150 kB of JSON faster than the same object
    // literal (about 7 against 11 ms cold, measured), and every import of the package pays it.
    build.onLoad({ filter: /libphonenumber-js\/metadata\.max\.json\.js$/ }, ({ path }) => ({
      contents: `export default JSON.parse(${JSON.stringify(readFileSync(path.replace(/\.js$/, ""), "utf8"))});`,
      loader: "js",
    }));
  },
};

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
  plugins: [externalPackages],
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
} as const satisfies BuildOptions;

/**
 * The phone library's entries: the eager module (what bundlers get), its metadata on its own (the E.164 fast path
 * needs no more), and Node's loader of both. package.json's "imports" maps "#phone-library" onto them: "module"
 * (every bundler, never Node) and "default" to the eager module, "node" to the loader.
 */
const phoneLibraryEntries = {
  "phone-library": "src/phone-library.ts",
  "phone-metadata": "src/phone-metadata.ts",
  "phone-library-node": "src/phone-library-node.ts",
} as const;

// The published entries import the phone library as "#phone-library", which Node resolves to its lazy loader and
// bundlers to the eager module (package.json "imports"). Only in dist/: a build elsewhere (test/at-most-once's
// CLI) keeps it inside, as source and tests have it.
const phoneLibraryByCondition: Plugin = {
  name: "phone-library-by-condition",
  setup(build) {
    build.onResolve({ filter: /^\.\/phone-library\.js$/ }, ({ kind }) =>
      kind === "entry-point" ? undefined : { path: "#phone-library", external: true },
    );
  },
};

/**
 * Node's entry (package.json's "node" condition): what `import("ip1-nki")` runs in Node. src/index.ts's classes and
 * constants are exported as they are (the same modules dist/library.js uses, so `instanceof` holds); each function is
 * a stub that loads dist/library.js at its first call, synchronously (require of an ES module, Node 20.19+ and
 * 22.12+): an import compiles none of the client. Written from src/index.ts itself, so a new export needs nothing here.
 */
async function nodeEntrySource(): Promise<string> {
  const index = fromRoot("src/index.ts");
  const api = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
  const isFunction = (value: unknown) =>
    typeof value === "function" && !/^class[\s{]/.test(Function.prototype.toString.call(value));
  const moduleOf = new Map<string, string>();
  for (const [, names = "", module = ""] of readFileSync(index, "utf8").matchAll(
    /export \{([^}]*)\} from "([^"]+)"/g,
  )) {
    for (const name of names.split(",").map((item) => item.trim())) {
      if (name && !name.startsWith("type ")) moduleOf.set(name, module);
    }
  }
  const byModule = new Map<string, string[]>();
  const stubs: string[] = [];
  for (const name of Object.keys(api).sort()) {
    const module = moduleOf.get(name);
    if (!module || !/^\w+$/.test(name))
      throw new Error(`src/index.ts: export ${name} is not \`export { name } from "…"\``);
    if (isFunction(api[name])) stubs.push(`export function ${name}(...args) { return library().${name}(...args); }`);
    else byModule.set(module, [...(byModule.get(module) ?? []), name]);
  }
  return [
    ...[...byModule].map(([module, names]) => `export { ${names.join(", ")} } from ${JSON.stringify(module)};`),
    "let loaded;",
    "const library = () =>",
    '  (loaded ??= process.getBuiltinModule("node:module").createRequire(import.meta.url)("./library.js"));',
    ...stubs,
  ].join("\n");
}

const nodeEntry = (source: string): Plugin => ({
  name: "node-entry",
  setup(build) {
    build.onResolve({ filter: /^ip1-nki:node-entry$/ }, () => ({ path: "node-entry", namespace: "ip1-nki" }));
    build.onLoad({ filter: /.*/, namespace: "ip1-nki" }, () => ({
      contents: source,
      resolveDir: fromRoot("src"),
      loader: "js",
    }));
  },
});

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
    nodeEntrySource().then((source) =>
      build({
        ...bundleOptions,
        plugins: [nodeEntry(source), ...bundleOptions.plugins, phoneLibraryByCondition],
        entryPoints: {
          ...entryPoints,
          index: "ip1-nki:node-entry",
          library: entryPoints.index,
          ...phoneLibraryEntries,
        },
        outdir: DIST,
      }),
    ),
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
