// `npm run pipeline -- --check` fails, naming the file, when generated/ no longer matches what the pipeline makes;
// and it only reads. Each case runs the real script on a copy of the project in a temp dir, so the work tree is
// never touched.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

const root = new URL("../../", import.meta.url).pathname;
const copies: string[] = [];

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-check-"));
  copies.push(dir);
  for (const entry of ["spec", "scripts", "generated", "redocly.yaml", "tsconfig.json", "package.json"]) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** `npm run pipeline -- --check` in the copy; its process group is killed with the test. */
const check = (dir: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/pipeline.ts", "--check"], { cwd: dir });

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("pipeline --check", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("fails naming the generated file that was edited by hand, and leaves it as it was", async () => {
    const dir = copyProject();
    const types = join(dir, "generated/schema.d.ts");
    const edited = `${readFileSync(types, "utf8")}\nexport type HandEdit = true;\n`;
    writeFileSync(types, edited);

    const result = await check(dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("generated/schema.d.ts");
    expect(result.stderr).not.toContain("generated/openapi.json");
    expect(readFileSync(types, "utf8")).toBe(edited);
  });

  it("fails naming every output a spec edit changes, when the spec was edited without regenerating", async () => {
    const dir = copyProject();
    const user = join(dir, "spec/components/schemas/NkiUser.yaml");
    writeFileSync(user, readFileSync(user, "utf8").replace("maxLength: 16", "maxLength: 15"));

    const result = await check(dir);

    expect(result.code).toBe(1);
    for (const file of ["generated/openapi.json", "generated/validators.js"]) expect(result.stderr).toContain(file);
  });
});
