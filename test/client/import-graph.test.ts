// src/ has no import circle, type-only imports included: a circle makes the order of module evaluation depend on
// which file is imported first, and hides which file owns a rule. Read with TypeScript's own import scanner.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../src");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Each file's imports of other files in src/ (value, type-only, re-exports and dynamic imports alike). */
function importGraph(): Map<string, string[]> {
  const files = new Set(sourceFiles(root));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = importedFiles
      .map(({ fileName }) => fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => resolve(dirname(file), name).replace(/\.js$/, ".ts"))
      .filter((target) => files.has(target));
    graph.set(file, targets);
  }
  return graph;
}

/** Every circle, as the files along it (depth-first search; a grey node reached again closes a circle). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const at = path.indexOf(file);
    if (at >= 0) {
      found.push([...path.slice(at), file].map((name) => relative(root, name)));
      return;
    }
    if (done.has(file)) return;
    path.push(file);
    for (const target of graph.get(file) ?? []) visit(target);
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return found;
}

it("src/ has no import circle, type-only imports included", () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(50);
  expect(graph.get(join(root, "client.ts"))).toContain(join(root, "client-options.ts"));
  expect(circles(graph)).toEqual([]);
});

it("finds a circle when there is one (the check itself)", () => {
  const graph = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
  ]);
  expect(circles(graph).map((circle) => circle.length)).toEqual([4]);
});
