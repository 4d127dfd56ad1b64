// A TypeScript entry of this repo bundled once per test file, as `npm run build` bundles (scripts/build.ts), so a test
// that spawns it pays Node's start-up and not tsx's compiling (about 0.2 s of CPU a spawn, against 1 s). Written into
// a directory inside the repo, so its packages resolve from node_modules; removed after the file's tests.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { bundleOptions } from "../../scripts/build.js";
import { afterEachFile } from "./each-file.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const builds = new Map<string, Promise<string>>();
let dir: string | undefined;

afterEachFile(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  builds.clear();
});

/** The package's own name, as a test child imports it, is this repo's src/ (the "ip1-nki-source" condition's files). */
const selfAsSource: Plugin = {
  name: "self-as-source",
  setup(build) {
    build.onResolve({ filter: /^ip1-nki$/ }, () => ({ path: join(root, "src/index.ts") }));
  },
};

/** `entry` (a path from the repo's root) bundled; resolves to the JavaScript file to run with `node`. */
export function bundled(entry: string): Promise<string> {
  let file = builds.get(entry);
  if (!file) {
    dir ??= mkdtempSync(join(root, ".tmp-bundled-"));
    const outdir = join(dir, String(builds.size));
    const plugins = [selfAsSource, ...bundleOptions.plugins];
    file = build({ ...bundleOptions, plugins, entryPoints: { main: entry }, outdir, metafile: false }).then(() =>
      join(outdir, "main.js"),
    );
    builds.set(entry, file);
  }
  return file;
}
