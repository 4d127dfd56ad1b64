// Compiles the consumer code (test/consumer/*.ts) in several project copies at once: one tsc run (TypeScript 7,
// through the pipeline's typecheck step) with the project's compiler options, errors sorted back to their copy.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromRoot } from "../../../scripts/lib/project.js";
import { typecheck } from "../../../scripts/typecheck.js";

const consumerFiles = readdirSync(fromRoot("test/consumer")).filter((file) => file.endsWith(".ts"));

/** For each project copy, tsc's errors about it ("" when its consumer compiles). */
export async function compileConsumers(copies: string[], workDir: string): Promise<Map<string, string>> {
  const project = join(workDir, "tsconfig.consumers.json");
  writeFileSync(
    project,
    JSON.stringify({
      extends: fromRoot("tsconfig.json"),
      // The consumer needs no Node types, and a tsconfig outside the project could not find them.
      compilerOptions: { types: [] },
      include: [],
      files: copies.flatMap((copy) => consumerFiles.map((file) => join(copy, "test/consumer", file))),
    }),
  );
  const output = await typecheck(project).then(
    () => "",
    (error: Error) => error.message,
  );
  const lines = output.split("\n");
  // tsc names each file by its path, and each copy's folder name is unique.
  return new Map(
    copies.map((copy) => [copy, lines.filter((line) => line.includes(`/${copy.split("/").at(-1)}/`)).join("\n")]),
  );
}
