// 3. Bundle size: the client as an app would ship it (esbuild --bundle --minify, ESM, validators included), then
// gzip -9, next to openapi-fetch alone. Sizes are deterministic, so one build is the measurement.
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { root } from "../scripts/lib/project.js";
import type { BenchContext } from "./lib/context.js";
import { anchorOf, figure, type Section } from "./lib/figures.js";

const VALIDATORS = "generated/validators.js";
const GOAL_BYTES = 6000;

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
    goal: { text: `≤ 6 kB (${GOAL_BYTES} B) in total`, met: (median) => median <= GOAL_BYTES },
  });
  return {
    id: "bundle",
    title: "3. Bundle size",
    figures: [
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
      "6 kB is read as 6,000 bytes. The validators' and openapi-fetch's shares come from esbuild's metafile " +
        "(bytes each input contributes to the minified output); gzip does not split by input, so the validators' " +
        "gzip figure bundles them alone.",
    ],
    seconds: (performance.now() - start) / 1000,
  };
}
