// The README's TypeScript snippets, each written to its own file in a project made the way the README tells a
// newcomer to make one: `tsc --init` (its defaults: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess,
// verbatimModuleSyntax, module nodenext), "type": "module", and the edit its own comment asks for on Node
// ("types": ["node"]). The package resolves to the installed tarball; any other package a snippet imports (vitest in
// a contract-test example, say) and @types/node are linked from this repo's node_modules.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exec, type Finished } from "./exec.js";

export interface Snippet {
  /** The README line of the opening fence. */
  line: number;
  code: string;
}

/** Every ```ts block of a markdown text, in order. */
export function typescriptSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? "")) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith("```"));
    if (end === -1) throw new Error(`README line ${i + 1}: a \`\`\`ts block is never closed`);
    snippets.push({ line: i + 1, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return snippets;
}

/**
 * The file a snippet is written to: the name its first line gives (`// surveys.ts: your code`), so the snippets of
 * one example can import one another, else snippet-line-<line>.ts.
 */
export function snippetFileName({ line, code }: Snippet): string {
  return /^\/\/ ([\w.-]+\.ts)\b/.exec(code)?.[1] ?? `snippet-line-${line}.ts`;
}

/** The bare packages a snippet imports ("vitest", "@scope/name"), without subpaths. */
const importedPackages = (code: string) =>
  [...code.matchAll(/\bfrom\s+"([^".][^"]*)"|\bimport\s+"([^".][^"]*)"/g)]
    .map((match) => (match[1] ?? match[2] ?? "").split("/"))
    .map((parts) => (parts[0]?.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/"))
    .filter((name) => !name.startsWith("node:"));

/**
 * Writes each snippet (see snippetFileName) into a fresh `tsc --init` project at `dir` and compiles it. Returns tsc's
 * result; its messages name the files, whose names carry the README line.
 */
export async function compileSnippets(
  snippets: Snippet[],
  dir: string,
  tools: { tsc: string; installedPackage: string; repoNodeModules: string },
): Promise<Finished> {
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-snippets", private: true, type: "module" }));
  const init = await exec(process.execPath, [tools.tsc, "--init"], { cwd: dir });
  if (init.code !== 0) return init;
  const tsconfigPath = join(dir, "tsconfig.json");
  const tsconfig = readFileSync(tsconfigPath, "utf8");
  if (!tsconfig.includes('"types": [],')) throw new Error(`tsc --init wrote no "types": [] to edit:\n${tsconfig}`);
  writeFileSync(tsconfigPath, tsconfig.replace('"types": [],', '"types": ["node"],'));

  const linked = new Set(["@types/node", "ip1-nki"]);
  symlinkSync(tools.installedPackage, join(dir, "node_modules", "ip1-nki"));
  symlinkSync(join(tools.repoNodeModules, "@types/node"), join(dir, "node_modules", "@types/node"));
  for (const { line, code } of snippets) {
    for (const name of importedPackages(code)) {
      if (linked.has(name)) continue;
      linked.add(name);
      mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
      symlinkSync(join(tools.repoNodeModules, name), join(dir, "node_modules", name));
    }
    writeFileSync(join(dir, snippetFileName({ line, code })), code);
  }
  return exec(process.execPath, [tools.tsc, "-p", ".", "--noEmit"], { cwd: dir });
}
