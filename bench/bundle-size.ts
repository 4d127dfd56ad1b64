// 3. Bundle size: the client as an app would ship it (esbuild --bundle --minify, ESM, validators included), then
// gzip -9, next to openapi-fetch alone. Sizes are deterministic, so one build is the measurement. Then what a user
// installs (the tarball and its runtime dependencies), and the cold `import("ip1-nki")` of dist/ as built against
// the same entry built as before issue 23 (dependencies left as packages), paired in one run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { buildPackage, bundleOptions } from "../scripts/build.js";
import { root } from "../scripts/lib/project.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, type Figure, figure, type Section } from "./lib/figures.js";
import { currentLoad } from "./lib/machine.js";

const VALIDATORS = "generated/validators.js";
const GOAL_BYTES = 64_000;
const COLD_GOAL_MS = 15;

interface Bundle {
  minified: number;
  gzipped: number;
  metafile: Metafile;
}

async function bundle(entry: Pick<BuildOptions, "entryPoints" | "stdin">): Promise<Bundle> {
  const result = await build({
    ...entry,
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: "esm",
    // No platform shims: what a browser or an edge runtime would load. "ip1-nki-source" resolves ip1-nki to src/.
    platform: "neutral",
    conditions: ["ip1-nki-source", "import"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no output");
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, metafile: result.metafile };
}

/** Minified bytes the bundle owes to inputs whose path includes `part`. */
function bytesFrom(metafile: Metafile, part: string): number {
  let bytes = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      if (input.includes(part)) bytes += bytesInOutput;
  }
  return bytes;
}

export async function bundleSizeBench(ctx: BenchContext): Promise<Section> {
  const start = performance.now();
  ctx.log("bundle size: esbuild + gzip -9");
  const openapiFetch = await bundle({
    stdin: { contents: 'export { default } from "openapi-fetch";', resolveDir: root, loader: "js" },
  });
  const ours = await bundle({ entryPoints: ["src/index.ts"] });
  const validators = await bundle({ entryPoints: [VALIDATORS] });
  const one = (value: number) => [value];
  const fetchGzip = figure({
    id: "bundle.openapi-fetch.gzip",
    label: "openapi-fetch alone, gzip -9",
    unit: "B",
    deterministic: true,
    samples: one(openapiFetch.gzipped),
  });
  const fetchMin = figure({
    id: "bundle.openapi-fetch.min",
    label: "openapi-fetch alone, minified",
    unit: "B",
    deterministic: true,
    samples: one(openapiFetch.minified),
  });
  const oursMin = figure({
    id: "bundle.ours.min",
    label: "ip1-nki (src/index.ts), minified",
    unit: "B",
    deterministic: true,
    samples: one(ours.minified),
    anchor: anchorOf(fetchMin),
  });
  const oursGzip = figure({
    id: "bundle.ours.gzip",
    label: "ip1-nki (src/index.ts), minified + gzip -9",
    unit: "B",
    deterministic: true,
    samples: one(ours.gzipped),
    anchor: anchorOf(fetchGzip),
    goal: { text: `≤ 64 kB (${GOAL_BYTES} B), a guard`, met: (median) => median <= GOAL_BYTES },
  });
  const load = currentLoad();
  const [install, cold] = [await installSizes(), await coldImports(ctx)];
  return {
    id: "bundle",
    title: "3. Bundle size, install size and cold import",
    figures: [
      ...cold,
      ...install,
      oursGzip,
      oursMin,
      fetchGzip,
      fetchMin,
      figure({
        id: "bundle.ours.validators.min",
        label: `validators' share of ip1-nki, minified (${VALIDATORS})`,
        unit: "B",
        deterministic: true,
        samples: one(bytesFrom(ours.metafile, VALIDATORS)),
        anchor: anchorOf(oursMin),
      }),
      figure({
        id: "bundle.ours.openapi-fetch.min",
        label: "openapi-fetch's share of ip1-nki, minified",
        unit: "B",
        deterministic: true,
        samples: one(bytesFrom(ours.metafile, "node_modules/openapi-fetch/")),
        anchor: anchorOf(oursMin),
      }),
      figure({
        id: "bundle.validators.gzip",
        label: "validators alone, minified + gzip -9",
        unit: "B",
        deterministic: true,
        samples: one(validators.gzipped),
        anchor: anchorOf(oursGzip),
      }),
    ],
    notes: [
      "One build each: sizes do not vary between runs, so min = median = max by construction.",
      "esbuild's JS API: bundle, minify, ESM, platform neutral, conditions [ip1-nki-source, import] (so `src/` is what is " +
        "bundled); then zlib gzip level 9. “Total” is the ip1-nki bundle, which includes openapi-fetch and the validators.",
      "64 kB is read as 64,000 bytes. The validators' and openapi-fetch's shares come from esbuild's metafile " +
        "(bytes each input contributes to the minified output); gzip does not split by input, so the validators' " +
        "gzip figure bundles them alone.",
      "Peers, as issue 23 measured them (not re-measured here: the bench installs nothing): @vonage/messages " +
        "51.8 kB min+gzip; twilio 444 kB, and it does not build for the browser. About 82% of ip1-nki's bundle is " +
        "libphonenumber-js's max metadata, which validating every country's numbers needs.",
      `Installed: the tarball (npm pack --dry-run, unpacked) plus every runtime dependency as installed here, ` +
        "against the same with libphonenumber-js (10 MB, a dependency before issue 23; now bundled into dist/).",
      `Cold import: a fresh \`node\` per sample timing \`await import()\` of dist/index.js, built as scripts/build.ts ` +
        "builds it and as it was built before (every package external), taking turns. Load average at the start: " +
        `${load.toFixed(2)} (2 cores, shared).`,
    ],
    seconds: (performance.now() - start) / 1000,
  };
}

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).reduce((sum, name) => {
    const stat = statSync(join(dir, name));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
}

/** A package and its runtime dependencies, each once, in bytes as installed in node_modules. */
function installedBytes(names: string[], seen = new Set<string>()): number {
  let bytes = 0;
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const dir = join(root, "node_modules", name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies?: object };
    bytes += bytesUnder(dir) + installedBytes(Object.keys(manifest.dependencies ?? {}), seen);
  }
  return bytes;
}

async function installSizes(): Promise<Figure[]> {
  await buildPackage();
  const packed = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
  });
  const tarball = (JSON.parse(packed) as { unpackedSize: number }[])[0]?.unpackedSize ?? 0;
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: object };
  const ours = tarball + installedBytes(Object.keys(manifest.dependencies));
  const before = figure({
    id: "install.before",
    label: "installed, with libphonenumber-js as a dependency (before)",
    unit: "B",
    deterministic: true,
    samples: [ours + installedBytes(["libphonenumber-js"])],
  });
  return [
    figure({
      id: "install.ours",
      label: "installed: ip1-nki and its runtime dependencies",
      unit: "B",
      deterministic: true,
      samples: [ours],
      anchor: anchorOf(before),
    }),
    before,
  ];
}

async function coldImports(ctx: BenchContext): Promise<Figure[]> {
  const dir = mkdtempSync(join(root, ".tmp-bench-cold-"));
  try {
    const entryPoints = { index: "src/index.ts" };
    await build({ ...bundleOptions, entryPoints, outdir: join(dir, "now"), metafile: false });
    const { plugins: _bundlesLibphonenumber, ...asBefore } = bundleOptions;
    await build({ ...asBefore, packages: "external", entryPoints, outdir: join(dir, "before"), metafile: false });
    // Wall time, and the CPU time the import used (user + system), which a busy machine's queue does not inflate.
    const importMs = (layout: string) => {
      const script = `const t = performance.now(), c = process.cpuUsage(); await import(${JSON.stringify(join(dir, layout, "index.js"))}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
      return JSON.parse(
        execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
      ) as [number, number];
    };
    const samples = { now: [[], []] as number[][], before: [[], []] as number[][] };
    for (let run = 1; run <= ctx.runs * 2; run++) {
      ctx.log(`bundle: cold import, run ${run}/${ctx.runs * 2}`);
      const order = run % 2 ? (["now", "before"] as const) : (["before", "now"] as const);
      for (const layout of order) {
        const [wall, cpu] = importMs(layout);
        samples[layout][0]?.push(wall);
        samples[layout][1]?.push(cpu);
      }
    }
    const goal = { text: `≤ ${COLD_GOAL_MS} ms`, met: (median: number) => median <= COLD_GOAL_MS };
    return (["wall", "CPU"] as const).flatMap((kind, i) => {
      const label = `cold import("ip1-nki"), ${kind} time`;
      const before = figure({
        id: `cold.${kind}.before`,
        label: `${label}, packages external (before)`,
        unit: "ms",
        samples: samples.before[i] ?? [],
      });
      const ours = figure({
        id: `cold.${kind}.ours`,
        label: `${label}, dist/ as built`,
        unit: "ms",
        samples: samples.now[i] ?? [],
        anchor: anchorOf(before),
        goal,
      });
      return [ours, before];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
