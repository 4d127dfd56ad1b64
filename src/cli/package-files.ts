// Finds files shipped with the package (generated/openapi.json) from wherever this code runs:
// src/cli/ in the repo, or the built dist/ inside node_modules/ip1-nki.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "ip1-nki";

let root: string | undefined;

/** The package's root directory: the nearest ancestor whose package.json is ip1-nki's. */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && readManifest(manifest).name === PACKAGE_NAME) {
      root = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} package.json above ${import.meta.url}.`);
  }
}

/** The bundled OpenAPI document, shipped with the package (the CLI reads its recipient fields from it). */
export function openApiDocument(): string {
  return join(packageRoot(), "generated", "openapi.json");
}

function readManifest(path: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(path, "utf8"));
}
