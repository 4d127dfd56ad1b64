// A throw-away copy of the project for tests that run the pipeline or the CLI on edited files, so the work tree is
// never touched. Its node_modules is a real folder of links to the project's packages, with npm's own record of them
// (.package-lock.json) copied: caches the pipeline writes under node_modules/.cache stay in the copy, and a test
// may change the record of what is installed.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../../scripts/lib/project.js";

/** What the pipeline reads and writes, and what the CLI runs from. */
const COPIED = [
  "spec",
  "scripts",
  "src",
  "generated",
  "redocly.yaml",
  "tsconfig.json",
  "tsconfig.lib.json",
  "tsconfig.pipeline.json",
  "package.json",
  "package-lock.json",
];

/** npm's record of the installed packages (see scripts/lib/step-inputs.ts). */
const INSTALLED = "node_modules/.package-lock.json";

export interface ProjectCopy {
  dir: string;
  /** An absolute path inside the copy. */
  path(relative: string): string;
  read(relative: string): string;
  write(relative: string, content: string): void;
  /** Replaces `from` (which must be there) with `to` in a file of the copy. */
  edit(relative: string, from: string, to: string): void;
  remove(): void;
}

export function copyProject(prefix = "ip1-nki-copy-"): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of COPIED) cpSync(fromRoot(entry), join(dir, entry), { recursive: true });
  const modules = join(dir, "node_modules");
  mkdirSync(modules);
  cpSync(fromRoot(INSTALLED), join(dir, INSTALLED));
  for (const entry of readdirSync(fromRoot("node_modules"))) {
    if (entry === ".cache" || entry === ".package-lock.json") continue;
    symlinkSync(fromRoot(`node_modules/${entry}`), join(modules, entry));
  }
  const path = (relative: string) => join(dir, relative);
  const read = (relative: string) => readFileSync(path(relative), "utf8");
  const write = (relative: string, content: string) => writeFileSync(path(relative), content);
  return {
    dir,
    path,
    read,
    write,
    edit(relative, from, to) {
      const before = read(relative);
      if (!before.includes(from)) throw new Error(`${relative} has no ${JSON.stringify(from)} to replace.`);
      write(relative, before.replace(from, to));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The command `npm run <name>` runs, as [file, args] for `run()`: read from package.json, with `node` being this very
 * Node, so a test runs exactly what users run.
 */
export function npmScript(name: string, args: string[] = []): [string, string[]] {
  const scripts = (JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts;
  const [program, ...rest] = (scripts[name] ?? "").split(" ");
  if (program !== "node") throw new Error(`npm run ${name} is not a plain \`node …\` command: ${scripts[name]}`);
  return [process.execPath, [...rest, ...args]];
}
