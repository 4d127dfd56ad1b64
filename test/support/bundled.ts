// A TypeScript entry of this repo bundled as `npm run build` bundles (scripts/build.ts), so a test that spawns it pays
// Node's start-up and not tsx's compiling (about 0.2 s of CPU a spawn, against 1 s). Built once per run and shared by
// every worker: the bundles live in the run's folder (test/global-setup.ts makes it inside the repo, so their packages
// resolve from node_modules, and removes it), under a name made of the entry and the sources' sizes and times, so an
// edit between two files of a watch-mode run builds again.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { inject } from "vitest";
import { bundleOptions } from "../../scripts/build.js";
import { afterEachFile } from "./each-file.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const builds = new Map<string, Promise<string>>();

afterEachFile(() => builds.clear());

/** The package's own name, as a test child imports it, is this repo's src/ (the "ip1-nki-source" condition's files). */
const selfAsSource: Plugin = {
  name: "self-as-source",
  setup(build) {
    build.onResolve({ filter: /^ip1-nki$/ }, () => ({ path: join(root, "src/index.ts") }));
  },
};

/** What the bundles are made of, as sizes and modification times: any edit changes it. */
function sourcesStamp(): string {
  const hash = createHash("sha256");
  for (const dir of ["src", "generated", "test", "scripts"]) {
    for (const name of readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }).sort()) {
      const stat = statSync(join(root, dir, name));
      if (stat.isFile()) hash.update(`${dir}/${name} ${stat.size} ${stat.mtimeMs}\n`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

async function buildOnce(entry: string): Promise<string> {
  const runDir = inject("bundleDir");
  const outdir = join(runDir, `${entry.replace(/\W/g, "_")}-${sourcesStamp()}`);
  const main = join(outdir, "main.js");
  if (existsSync(main)) return main;
  // Built aside and renamed into place: a worker sees a whole bundle or none, and when two build the same one at once,
  // the second rename fails and its copy (the same code) is dropped.
  const aside = `${outdir}.${process.pid}`;
  const plugins = [selfAsSource, ...bundleOptions.plugins];
  await build({ ...bundleOptions, plugins, entryPoints: { main: entry }, outdir: aside, metafile: false });
  try {
    renameSync(aside, outdir);
  } catch (error) {
    rmSync(aside, { recursive: true, force: true });
    if (!existsSync(main)) throw error;
  }
  return main;
}

/** `entry` (a path from the repo's root) bundled; resolves to the JavaScript file to run with `node`. */
export function bundled(entry: string): Promise<string> {
  let file = builds.get(entry);
  if (!file) {
    file = buildOnce(entry);
    builds.set(entry, file);
  }
  return file;
}
