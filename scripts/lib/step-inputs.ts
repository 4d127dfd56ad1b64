// What decides a pipeline step's output, hashed into the key its cached output is stored under. A key is built from
// content, never from times: files by path and bytes, our code with everything it imports, and the exact installed
// version of each library the step runs (with all that library depends on).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fromRoot, root } from "./project.js";

export interface StepInputs {
  /** Files and folders, relative to the project root. A folder counts every file under it, by path and content. */
  paths?: readonly string[];
  /** Our own modules that do the step, relative to the root: each counts with every module it imports. */
  code?: readonly string[];
  /** npm packages the step runs, with all they depend on; "all" for every installed package. */
  libraries?: readonly string[] | "all";
  /** Inputs that are not files (the bundle's text, for the steps that read the bundle). */
  values?: Readonly<Record<string, string>>;
}

/**
 * npm's record of what is installed (`npm ci` and `npm install` write it). Without it no version can be known, so
 * nothing is cached.
 */
const INSTALLED = "node_modules/.package-lock.json";

/** The key for `step`'s output, or undefined when the installed library versions cannot be known. */
export function hashInputs(step: string, inputs: StepInputs): string | undefined {
  // The Node major too: the output must not depend on it (CI checks that), and a cache shared between Nodes would
  // keep a second Node from ever showing that it does.
  const node = process.versions.node.split(".")[0];
  const hash = createHash("sha256").update(`ip1-nki pipeline step cache v1\0${step}\0node ${node}\0`);
  const add = (label: string, value: string | Buffer) => hash.update(`${label}\0`).update(value).update("\0");
  for (const path of inputs.paths ?? []) {
    for (const file of filesUnder(path)) add(`file ${file}`, readFileSync(fromRoot(file)));
    if (!existsSync(fromRoot(path))) add(`missing ${path}`, "");
  }
  for (const file of moduleGraph(inputs.code ?? [])) add(`code ${file}`, readFileSync(fromRoot(file)));
  if (inputs.libraries) {
    const versions = installedVersions(inputs.libraries);
    if (!versions) return undefined;
    for (const version of versions) add("library", version);
  }
  for (const [name, value] of Object.entries(inputs.values ?? {})) add(`value ${name}`, value);
  return hash.digest("hex");
}

/** Every file under `path` (itself, if it is a file), relative to the root and sorted. */
function filesUnder(path: string): string[] {
  const absolute = fromRoot(path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

// Static imports, re-exports and import() of relative modules; `./x.js` is the source file `./x.ts`.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** `entries` and every module they import through relative paths, relative to the root and sorted. */
function moduleGraph(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    // A match that names no file is text that looks like an import (gen-validators.ts writes one into its output).
    if (seen.has(file) || !existsSync(fromRoot(file))) return;
    seen.add(file);
    const source = readFileSync(fromRoot(file), "utf8");
    for (const [, specifier] of source.matchAll(RELATIVE_IMPORT)) {
      const target = join(dirname(file), specifier as string);
      visit(existsSync(fromRoot(target)) ? target : target.replace(/\.js$/, ".ts"));
    }
  };
  for (const entry of entries) visit(entry);
  return [...seen].sort();
}

interface InstalledPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** "path@version integrity" of each package in the closure of `names`, sorted; undefined when npm's record is missing. */
function installedVersions(names: readonly string[] | "all"): string[] | undefined {
  const packages = installedPackages();
  if (!packages) return undefined;
  const closure = names === "all" ? Object.keys(packages) : dependencyClosure(names, packages);
  return closure
    .sort()
    .map((path) => `${path}@${packages[path]?.version} ${packages[path]?.integrity ?? packages[path]?.resolved}`);
}

let parsed: { text: string; packages: Record<string, InstalledPackage> | undefined } | undefined;

/** npm's record, parsed once per content (--watch asks for it on every run, once per step). */
function installedPackages(): Record<string, InstalledPackage> | undefined {
  const file = fromRoot(INSTALLED);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  if (parsed?.text !== text) {
    parsed = { text, packages: (JSON.parse(text) as { packages?: Record<string, InstalledPackage> }).packages };
  }
  return parsed.packages;
}

/** The installed paths of `names` and of everything they depend on, found the way Node's resolution finds them. */
function dependencyClosure(names: readonly string[], packages: Record<string, InstalledPackage>): string[] {
  const seen = new Set<string>();
  const visit = (from: string, name: string) => {
    const path = locate(from, name, packages);
    if (path === undefined || seen.has(path)) return;
    seen.add(path);
    const installed = packages[path] ?? {};
    const dependencies = {
      ...installed.dependencies,
      ...installed.optionalDependencies,
      ...installed.peerDependencies,
    };
    for (const dependency of Object.keys(dependencies)) visit(path, dependency);
  };
  for (const name of names) {
    visit("", name);
    if (!seen.has(`node_modules/${name}`)) throw new Error(`The pipeline uses ${name}, which is not installed.`);
  }
  return [...seen];
}

/** Where `name` is installed for the package at `from` ("" for the project): its own node_modules, then its parents'. */
function locate(from: string, name: string, packages: Record<string, InstalledPackage>): string | undefined {
  for (let base = from; ; ) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (base === "") return undefined;
    const parent = base.lastIndexOf("/node_modules/");
    base = parent < 0 ? "" : base.slice(0, parent);
  }
}
