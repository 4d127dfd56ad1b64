// `npm run pipeline -- --check` fails, naming the file, when generated/ no longer matches what the pipeline makes;
// and it only reads. Each case runs the real script on a copy of the project in a temp dir, so the work tree is
// never touched.
import { afterEach, describe, expect, it } from "vitest";
import { run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";

const copies: ProjectCopy[] = [];

/** `npm run pipeline -- --check` in a fresh copy; its process group is killed with the test. */
const check = (copy: ProjectCopy) => run(...npmScript("pipeline", ["--check"]), { cwd: copy.dir });

afterEach(() => {
  for (const copy of copies.splice(0)) copy.remove();
});

describe("pipeline --check", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("fails naming the generated file that was edited by hand, and leaves it as it was", async () => {
    const copy = copyProject("ip1-nki-check-");
    copies.push(copy);
    const edited = `${copy.read("generated/schema.d.ts")}\nexport type HandEdit = true;\n`;
    copy.write("generated/schema.d.ts", edited);

    const result = await check(copy);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("generated/schema.d.ts");
    expect(result.stderr).not.toContain("generated/openapi.json");
    expect(copy.read("generated/schema.d.ts")).toBe(edited);
  });

  it("fails naming every output a spec edit changes, when the spec was edited without regenerating", async () => {
    const copy = copyProject("ip1-nki-check-");
    copies.push(copy);
    copy.edit("spec/components/schemas/NkiUser.yaml", "maxLength: 16", "maxLength: 15");

    const result = await check(copy);

    expect(result.code).toBe(1);
    for (const file of ["generated/openapi.json", "generated/validators.js"]) expect(result.stderr).toContain(file);
  });
});
