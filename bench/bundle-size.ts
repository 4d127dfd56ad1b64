// 3. Size and start-up: the client as an app would ship it (esbuild --bundle --minify, ESM, platform neutral), then
// gzip -9, next to openapi-fetch alone; what a user installs (the tarball and its runtime dependencies); and the cold
// `import("ip1-nki")` of dist/index.js as `npm run build` writes it.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { buildPackage, DIST, shippedMetadata } from "../scripts/build.js";
import { root } from "../scripts/lib/project.js";
import { type BenchContext, currentLoad } from "./lib/context.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";

const GOAL_BYTES = 64_000;
const COLD_GOAL_MS = 15;

// A dynamic import() loads when first called, so an app's bundler splits it off (Vite, Rollup and webpack do by
// default) and the first load leaves it out: here the SQLite and PostgreSQL ledgers, which only openLedger() imports.
const dynamicImportsLeftOut: Plugin = {
  name: "dynamic-imports-left-out",
  setup: (build) =>
    build.onResolve({ filter: /./ }, ({ kind, path }) =>
      kind === "dynamic-import" ? { path, external: true } : undefined,
    ),
};

/** [minified, gzip -9] bytes of what an app's bundler ships: its first load, or with `lazy` everything. */
async function bundle(entry: Pick<BuildOptions, "entryPoints" | "stdin">, lazy = false): Promise<[number, number]> {
  const result = await build({
    ...{ ...entry, absWorkingDir: root, bundle: true, minify: true, format: "esm", write: false, logLevel: "silent" },
    // No platform shims: what a browser or an edge runtime would load. "ip1-nki-source" resolves ip1-nki to src/.
    ...{ platform: "neutral", conditions: ["ip1-nki-source", "import"] },
    plugins: lazy ? [shippedMetadata] : [shippedMetadata, dynamicImportsLeftOut],
    // Left out, as imported only when used: the optional peers (a ledger's pg, the mock's msw) and the Node modules
    // of the file and PostgreSQL ledgers, which a browser never opens.
    external: ["pg", "better-sqlite3", "msw", "node:*"],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return [code.byteLength, gzipSync(code, { level: 9 }).byteLength];
}

type Spec = Parameters<typeof figure>[0];
const size = (id: string, label: string, bytes: number, more: Partial<Spec> = {}) =>
  figure({ id, label, unit: "B", deterministic: true, samples: [bytes], ...more });

export async function bundleSizeBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  const load = currentLoad();
  ctx.log("bundle size: esbuild + gzip -9");
  const openapiFetch = await bundle({
    stdin: { contents: 'export { default } from "openapi-fetch";', resolveDir: root, loader: "js" },
  });
  const ours = await bundle({ entryPoints: ["src/index.ts"] });
  const oursAll = await bundle({ entryPoints: ["src/index.ts"] }, true);
  const fetchMin = size("bundle.openapi-fetch.min", "openapi-fetch alone, minified", openapiFetch[0]);
  const fetchGzip = size("bundle.openapi-fetch.gzip", "openapi-fetch alone, gzip -9", openapiFetch[1]);
  const guard = { text: `≤ 64 kB (${GOAL_BYTES} B), a guard`, met: (median: number) => median <= GOAL_BYTES };
  const figures = [
    size("bundle.ours.gzip", "ip1-nki (src/index.ts), first load, minified + gzip -9", ours[1], {
      anchor: anchorOf(fetchGzip),
      goal: guard,
    }),
    size("bundle.ours.min", "ip1-nki (src/index.ts), first load, minified", ours[0], { anchor: anchorOf(fetchMin) }),
    size("bundle.ours.all.gzip", "ip1-nki (src/index.ts), with the lazy ledger chunks, gzip -9", oursAll[1]),
    fetchGzip,
    fetchMin,
    // One build of dist/ serves both: the tarball's size and the cold import of what it holds.
    ...(await buildPackage().then(installSizes)),
    ...(await coldImports(ctx)),
  ];
  return {
    id: "bundle",
    title: "3. Bundle size, install size and cold import",
    figures,
    notes: [
      "Sizes: one build each. esbuild's JS API: bundle, minify, ESM, platform neutral, conditions [ip1-nki-source, " +
        "import], optional peers and node: modules external, libphonenumber-js's metadata as dist/ ships it; then " +
        "gzip -9. The first load leaves out dynamic import()s (the ledgers' stores), as splitting bundlers do. " +
        "64 kB is 64,000 bytes. About half of the first load is libphonenumber-js's max metadata, which every " +
        "country needs. Peers, as issue 23 measured them: @vonage/messages 51.8 kB min+gzip; twilio 444 kB.",
      "Installed: the tarball (npm pack --dry-run, unpacked) plus every runtime dependency as installed here; before: " +
        "the same plus libphonenumber-js, a dependency until issue 23 bundled it into dist/.",
      "Cold import: a fresh `node` per sample timing `await import()` of dist/index.js as `npm run build` writes it; " +
        `CPU time is the import's user + system time. Load average at the start: ${load.toFixed(2)}.`,
    ],
    seconds: (performance.now() - start) / 1000,
  };
}

/** A package and its runtime dependencies, each once, in bytes as installed in node_modules. */
function installedBytes(names: string[], seen = new Set<string>()): number {
  let bytes = 0;
  for (const name of names.filter((name) => !seen.has(name))) {
    seen.add(name);
    const dir = join(root, "node_modules", name);
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).map((file) => statSync(join(dir, file)));
    bytes += files.reduce((sum, stat) => sum + (stat.isFile() ? stat.size : 0), 0);
    const { dependencies } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: object };
    bytes += installedBytes(Object.keys(dependencies ?? {}), seen);
  }
  return bytes;
}

async function installSizes(): Promise<Figure[]> {
  const pack = ["pack", "--dry-run", "--json", "--ignore-scripts"];
  const packed = execFileSync("npm", pack, { cwd: root, encoding: "utf8" });
  const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: object };
  const ours = (JSON.parse(packed) as { unpackedSize: number }[])[0]?.unpackedSize ?? 0;
  const installed = ours + installedBytes(Object.keys(dependencies));
  const label = "installed: ip1-nki and its runtime dependencies";
  const withIt = installed + installedBytes(["libphonenumber-js"]);
  const before = size("install.before", `${label}, with libphonenumber-js (before)`, withIt);
  return [size("install.ours", label, installed, { anchor: anchorOf(before) }), before];
}

async function coldImports(ctx: BenchContext): Promise<Figure[]> {
  const entry = join(root, DIST, "index.js");
  const samples: number[][] = [[], []];
  for (let run = 1; run <= ctx.runs * 2; run++) {
    ctx.log(`bundle: cold import, run ${run}/${ctx.runs * 2}`);
    // Both times are taken before process.stdout is touched: its first use makes the stream (about 4 ms).
    const script = `const t = performance.now(), c = process.cpuUsage(); await import(${JSON.stringify(entry)}); const w = performance.now() - t, u = process.cpuUsage(c); process.stdout.write(JSON.stringify([w, (u.user + u.system) / 1000]));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    (JSON.parse(out) as number[]).forEach((ms, i) => void samples[i]?.push(ms));
  }
  const goal = { text: `≤ ${COLD_GOAL_MS} ms`, met: (median: number) => median <= COLD_GOAL_MS };
  return (["wall", "CPU"] as const).map((kind, i) =>
    figure({
      id: `cold.${kind}.ours`,
      label: `cold import("ip1-nki"), ${kind} time`,
      unit: "ms",
      samples: samples[i] ?? [],
      goal,
    }),
  );
}
