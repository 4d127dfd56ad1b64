// A throw-away copy of the project for tests and the bench that run the pipeline or the CLI on edited files, so the
// work tree is never touched. Its node_modules is a real folder of links to the project's packages: the pipeline's
// cache under node_modules/.cache stays in the copy, and a test may take a package away.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot, root } from "../../scripts/lib/project.js";
import { readNpmScript } from "./npm-script.js";

/** What the pipeline reads and writes, and what the CLI runs from. */
const COPIED = [
  "spec",
  "scripts",
  "src",
  "generated",
  "redocly.yaml",
  "tsconfig.json",
  "tsconfig.lib.json",
  "tsconfig.watch.json",
  "package.json",
  "package-lock.json",
];

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

/**
 * Copies the project into a folder of its own inside a new temporary one, as deep as a user's checkout
 * (/home/me/ip1-nki): TypeScript 7's tsc --watch watches no folder within two levels of / (pipeline/type-watch.ts).
 * `shallow`: into a new folder in /tmp itself (/tmp/ip1-nki-copy-…), where it watches nothing, wherever TMPDIR is.
 */
export function copyProject(prefix = "ip1-nki-copy-", { without = [] as string[], shallow = false } = {}): ProjectCopy {
  const parent = mkdtempSync(join(shallow ? "/tmp" : tmpdir(), prefix));
  const dir = shallow ? parent : join(parent, "ip1-nki");
  try {
    mkdirSync(dir, { recursive: true });
    for (const entry of COPIED) cpSync(fromRoot(entry), join(dir, entry), { recursive: true });
    linkNodeModules(realpathSync(fromRoot("node_modules")), join(dir, "node_modules"), without);
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw error;
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
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/**
 * `to` becomes a real directory with one symlink per top-level entry of `from` (scopes and `.bin` included, the
 * packages in `without` left out): Node follows each link to the package's real path and resolves its dependencies
 * from there. The cache is not linked: the copy fills its own.
 */
function linkNodeModules(from: string, to: string, without: readonly string[]): void {
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    if (entry === ".cache") continue;
    if (entry.startsWith("@")) {
      mkdirSync(join(to, entry));
      for (const name of readdirSync(join(from, entry))) {
        if (!without.includes(`${entry}/${name}`)) symlinkSync(join(from, entry, name), join(to, entry, name), "dir");
      }
    } else if (!without.includes(entry)) symlinkSync(join(from, entry), join(to, entry), "dir");
  }
}

/** The command `npm run <name>` runs, as [file, args] for `run()` (see npm-script.ts). */
export function npmScript(name: string, args: string[] = []): [string, string[]] {
  return readNpmScript(root, name, args);
}
