// `npm run api:diff` as a maintainer runs it, in a copy of the project (so nothing in the work tree is written): it
// exits 1 on an unaccepted breaking change, and 0 once it is acknowledged, writing the changelog section.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromRoot } from "../../scripts/lib/project.js";
import { run as runProcess, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

let dir: string;
// The bundle as it is now is the base, so the only change is the one each test makes, whatever the project's state.
const { version } = JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { version: string };
const againstNow = ["--base", "generated/openapi.json", "--base-version", version, "--current", "narrowed.json"];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ip1-nki-api-diff-cli-"));
  for (const entry of [
    "spec",
    "scripts",
    "generated",
    "redocly.yaml",
    "tsconfig.json",
    "package.json",
    "CHANGELOG-API.md",
  ]) {
    cpSync(fromRoot(entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(fromRoot("node_modules"), join(dir, "node_modules"));
  const bundle = JSON.parse(readFileSync(fromRoot("generated/openapi.json"), "utf8"));
  bundle.components.schemas.NkiUser.properties.Phone.maxLength = 12;
  writeFileSync(join(dir, "narrowed.json"), JSON.stringify(bundle));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script as `npm run` does, in the copy; its process group is killed with the test. */
const run = (script: string, args: string[]) =>
  runProcess(process.execPath, ["--import", "tsx", script, ...args], { cwd: dir });

// One api:diff at a time: each is CPU-bound, and two at once on a busy machine doubled both (and timed out).
describe("npm run api:diff", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("exits 1 on a breaking change, and the report says how to accept it", async () => {
    const { code, stdout } = await run("scripts/api-diff/main.ts", againstNow);
    expect(code).toBe(1);
    expect(stdout).toContain("NkiUser.Phone: maxLength 16 → 12");
    expect(stdout).toContain("Gate: FAILED");
    expect(stdout).toContain('- id: "request:NkiUser.Phone:maxLength"');
  });

  it("exits 0 once the change is acknowledged, prints JSON, and writes the changelog section", async () => {
    writeFileSync(
      join(dir, "ack.yaml"),
      `baseline: "${version}"\nacknowledged:\n  - id: "request:NkiUser.Phone:maxLength"\n    reason: "IP1 always refused longer numbers."\n`,
    );
    const { code, stdout, stderr } = await run("scripts/api-diff/main.ts", [
      ...againstNow,
      "--ack",
      "ack.yaml",
      "--json",
      "--changelog",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.gate).toMatchObject({ passed: true, unacknowledged: [] });
    expect(result.gate.acknowledged[0]).toMatchObject({
      id: "request:NkiUser.Phone:maxLength",
      reason: "IP1 always refused longer numbers.",
    });
    expect(stderr).toContain(`CHANGELOG-API.md: section for changes since ${version} written.`);
    expect(readFileSync(join(dir, "CHANGELOG-API.md"), "utf8")).toContain(
      "### Breaking\n\n- `NkiUser.Phone`: maxLength 16 → 12 (POST /api/nkis/{nki}/users/send request body).",
    );
  });
});
