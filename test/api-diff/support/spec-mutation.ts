// Spec mutations (test/fixtures/spec-mutations/*.yaml): small edits to a copy of spec/, made the way a maintainer
// would make them, then bundled and turned into types by the pipeline's own functions.
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml, stringifyYaml } from "@redocly/openapi-core";
import { fromRoot, type SpecConfig } from "../../../scripts/lib/project.js";
import { bundleSpec, type OpenApiDocument } from "../../../scripts/pipeline/bundle.js";
import { generateTypes } from "../../../scripts/pipeline/types.js";
import { applyPatch, type PatchOperation } from "./json-patch.js";

export interface SpecMutation {
  /** The fixture's file name, without `.yaml`. */
  name: string;
  title: string;
  expect: {
    /** Every change id the diff must report, with its severity; nothing else may be reported. */
    changes: Record<string, "breaking" | "compatible">;
    /** Whether test/consumer compiles against the mutated types. */
    compile: "passes" | "fails";
    /** Text the compile errors must contain, so a failure is the expected one. */
    compileError?: string;
    /** For a breaking change the compile cannot see: why only the diff catches it. */
    onlyTheDiffCatches?: string;
  };
  edits: Array<{ file: string; renameTo?: string; patch?: PatchOperation[] }>;
}

const FIXTURES = fromRoot("test/fixtures/spec-mutations");

export function loadMutations(): SpecMutation[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".yaml"))
    .sort()
    .map((file) => {
      try {
        const fixture = parseYaml(readFileSync(join(FIXTURES, file), "utf8")) as Omit<SpecMutation, "name">;
        return { name: file.replace(/\.yaml$/, ""), ...fixture };
      } catch (error) {
        throw new Error(`test/fixtures/spec-mutations/${file}: ${(error as Error).message}`);
      }
    });
}

/**
 * Makes `dir` a small copy of the project with the mutation applied: spec/ edited, the mutated types in
 * generated/schema.d.ts, and, verbatim, package.json, src/types-entry.ts and test/consumer/, so `ip1-nki/types`
 * resolves there exactly as it does here. Returns the mutated bundle.
 */
export async function applyMutation(mutation: SpecMutation, dir: string, config: SpecConfig): Promise<OpenApiDocument> {
  const spec = join(dir, "spec");
  cpSync(fromRoot("spec"), spec, { recursive: true, filter: (source) => !source.includes("/spec/releases") });
  for (const edit of mutation.edits) {
    let file = join(spec, edit.file);
    if (edit.renameTo) {
      renameSync(file, join(spec, edit.renameTo));
      file = join(spec, edit.renameTo);
    }
    if (edit.patch) {
      const document = parseYaml(readFileSync(file, "utf8"));
      applyPatch(document, edit.patch);
      writeFileSync(file, stringifyYaml(document));
    }
  }
  const { document } = await bundleSpec({ ...config, specRoot: join(spec, "openapi.yaml") });
  mkdirSync(join(dir, "generated"));
  writeFileSync(join(dir, "generated/schema.d.ts"), await generateTypes(config, document));
  for (const entry of ["src/types-entry.ts", "test/consumer"])
    cpSync(fromRoot(entry), join(dir, entry), { recursive: true });
  // tsc takes packages with the same name and version for one package, and would check every copy against the
  // first copy's types; a version of its own keeps each copy apart.
  const manifest = JSON.parse(readFileSync(fromRoot("package.json"), "utf8"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ ...manifest, version: `${manifest.version}-${mutation.name}` }),
  );
  symlinkSync(fromRoot("node_modules"), join(dir, "node_modules"));
  return document;
}
