// `npm run build` (also prepack): dist/. esbuild bundles each entry into readable ESM (shared code in dist/chunks/)
// with libphonenumber-js, openapi-fetch and the validators inside, so a cold import looks up no package; openapi-fetch
// stays a dependency for the types of `raw`. TypeScript 7's tsc writes the declarations (tsconfig.build.json).
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
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
  },
};

// libphonenumber-js's metadata as dist/ (and the bench's app bundle) ships it: JSON.parse of a string, which V8 reads
// faster than the same object literal.
export const shippedMetadata: Plugin = {
  name: "shipped-metadata",
  setup(build) {
    build.onLoad({ filter: /libphonenumber-js\/metadata\.max\.json\.js$/ }, ({ path }) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(shippedPhoneMetadata(path)))});`,
      loader: "js",
    }));
  },
};

/**
 * libphonenumber-js's max metadata (at `path`) without its national formats ("070-123 45 67"), which only the format
 * methods read and src/ (sending E.164) never calls: 9 of 75 kB gzip. test/property/phone-metadata.test.ts proves
 * parsing and validation unchanged.
 */
export function shippedPhoneMetadata(path: string): unknown {
  const metadata = JSON.parse(readFileSync(path.replace(/\.js$/, ""), "utf8"));
  // A numbering plan's fifth field is its formats (libphonenumber-js source/metadata.js, NumberingPlan.formats).
  for (const plan of Object.values({ ...metadata.countries, ...metadata.nonGeographic }) as unknown[][]) plan[4] = [];
  return metadata;
}

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
  plugins: [externalPackages, shippedMetadata],
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
} as const satisfies BuildOptions;

// dist/ only: src/ imports libphonenumber-js as "#phone-library", which package.json's "imports" send Node to a loader
// at first use (src/phone-library-node.ts) and a bundler or browser to the module itself.
const phoneEntries = ["phone-library", "phone-metadata", "phone-library-node"] as const;

// Node's entry, from src/index.ts's `export {…} from`: classes and constants as they are (the modules dist/library.js
// uses, so `instanceof` holds), each function a stub requiring dist/library.js at first call (Node 20.19+, 22.12+).
async function lazyEntries(): Promise<Plugin> {
  const index = fromRoot("src/index.ts");
  const api: Record<string, unknown> = { ...(await import(pathToFileURL(index).href)) };
  const source = [
    'let loaded; const library = () => (loaded ??= process.getBuiltinModule("node:module").createRequire(import.meta.url)("./library.js"));',
  ];
  for (const [, names = "", from] of readFileSync(index, "utf8").matchAll(/export \{([^}]*)\} from ("[^"]+")/g)) {
    for (const name of names
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item && !item.startsWith("type "))) {
      const stub = typeof api[name] === "function" && !/^class\b/.test(String(api[name]));
      source.push(
        stub
          ? `export function ${name}(...args) { return library().${name}(...args); }`
          : `export { ${name} } from ${from};`,
      );
      delete api[name];
    }
  }
  const missed = Object.keys(api);
  if (missed.length) throw new Error(`src/index.ts: export ${missed.join(", ")} as \`export { name } from "…"\``);
  return {
    name: "lazy-entries",
    setup(build) {
      build.onResolve({ filter: /^ip1-nki:node-entry$/ }, ({ path }) => ({ path, namespace: "ip1-nki" }));
      build.onLoad({ filter: /./, namespace: "ip1-nki" }, () => ({
        contents: source.join("\n"),
        resolveDir: fromRoot("src"),
      }));
      build.onResolve({ filter: /^\.\/phone-library\.js$/ }, ({ kind }) =>
        kind === "entry-point" ? undefined : { path: "#phone-library", external: true },
      );
    },
  };
}

/** Builds dist/; returns every file written there, relative to the root, with its size in bytes. */
export async function buildPackage(): Promise<{ path: string; bytes: number }[]> {
  rmSync(fromRoot(DIST), { recursive: true, force: true });
  const [bundle] = await Promise.all([
    lazyEntries().then((lazy) =>
      build({
        ...bundleOptions,
        plugins: [lazy, ...bundleOptions.plugins],
        entryPoints: {
          ...entryPoints,
          index: "ip1-nki:node-entry",
          library: entryPoints.index,
          ...Object.fromEntries(phoneEntries.map((name) => [name, `src/${name}.ts`])),
        },
        outdir: DIST,
      }),
    ),
    runNodeScript("tsc (declarations)", packageFile("typescript7", "bin/tsc"), ["-p", "tsconfig.build.json"]),
  ]);
  const declarations = readdirSync(fromRoot(DIST), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".d.ts"))
    .map((name) => ({ path: `${DIST}/${name}`, bytes: statSync(fromRoot(`${DIST}/${name}`)).size }));
  const scripts = Object.entries(bundle.metafile.outputs).map(([path, { bytes }]) => ({ path, bytes }));
  return [...scripts, ...declarations].sort((a, b) => a.path.localeCompare(b.path));
}

runIfMain(
  import.meta.url,
  `
Usage: npm run build   (also run by npm pack and npm publish)
Writes dist/: ${Object.keys(entryPoints).join(".js, ")}.js (ESM, bundled by esbuild) and the .d.ts files (tsc).`,
  async () => {
    const files = await buildPackage();
    const total = files.reduce((sum, file) => sum + file.bytes, 0);
    const ms = performance.now().toFixed(0); // from process start: the wall time a user waits
    process.stdout.write(`build: ${files.length} files, ${(total / 1024).toFixed(1)} KiB in ${DIST}/ (${ms} ms)\n`);
    return 0;
  },
);
