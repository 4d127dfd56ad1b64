// Where things are, and the one redocly.yaml that drives lint and type generation. scripts/lib/ is the ground floor:
// it imports nothing from the scripts above it.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "@redocly/openapi-core";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const fromRoot = (path: string) => fileURLToPath(new URL(path, `file://${root}`));

/** The API alias in redocly.yaml whose root is our spec. */
const API_NAME = "ip1";

/** Every file the pipeline writes, relative to the project root. Nothing else writes under generated/. */
export const generatedFiles = {
  bundle: "generated/openapi.json",
  types: "generated/schema.d.ts",
  validators: "generated/validators.js",
  validatorTypes: "generated/validators.d.ts",
  version: "generated/version.js",
  versionTypes: "generated/version.d.ts",
} as const;

export interface SpecConfig {
  /** Redocly's resolved config for the `ip1` API (lint rules and all). */
  redocly: Config;
  /** The spec's entry file, absolute. */
  specRoot: string;
  /** openapi-typescript options from `x-openapi-ts`, less `output`. */
  typesOptions: Record<string, unknown>;
}

export async function loadSpecConfig(): Promise<SpecConfig> {
  // Loaded here, not at the top: a pipeline run with nothing to do loads no library.
  const { loadConfig } = createRequire(import.meta.url)(
    "@redocly/openapi-core",
  ) as typeof import("@redocly/openapi-core");
  const config = await loadConfig({ configPath: fromRoot("redocly.yaml") });
  const api = config.resolvedConfig.apis?.[API_NAME];
  if (!api) throw new Error(`redocly.yaml has no \`apis.${API_NAME}\` entry.`);
  const { output, ...typesOptions } = (api as Record<string, unknown>)["x-openapi-ts"] as Record<string, unknown>;
  if (output !== generatedFiles.types) {
    throw new Error(
      `redocly.yaml: apis.${API_NAME}.x-openapi-ts.output must be ${generatedFiles.types}, not ${output}.`,
    );
  }
  return { redocly: config.forAlias(API_NAME), specRoot: fromRoot(api.root), typesOptions };
}

export const readText = (path: string) => readFileSync(fromRoot(path), "utf8");

/** Writes `content` to `path` as a new file renamed over the old: a reader (tsc --watch) never sees it half written. */
export function replaceFile(path: string, content: string): void {
  mkdirSync(dirname(fromRoot(path)), { recursive: true });
  const temporary = fromRoot(`${path}.${randomUUID()}.tmp`); // a PID may repeat (another PID namespace)
  writeFileSync(temporary, content);
  renameSync(temporary, fromRoot(path));
}

/**
 * Runs `main` when the file is executed directly (not imported), with `--help` printing `usage`.
 * Every script under scripts/ is both a module that `pipeline` composes and a small program of its own.
 */
export function runIfMain(metaUrl: string, usage: string, main: (args: string[]) => Promise<number | undefined>) {
  if (process.argv[1] !== fileURLToPath(metaUrl)) return;
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${usage.trim()}\n`);
    return;
  }
  main(args)
    .then((code) => code ?? 0)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    })
    .then((code) => {
      process.exitCode = code;
    });
}
