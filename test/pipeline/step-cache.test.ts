// The pipeline's step cache: a run with nothing changed runs nothing, and every input a step's key is made of (a
// spec file, redocly.yaml, our generator code, an installed library's version, the files the typecheck reads) makes
// exactly the steps that depend on it run again. The cache never stands in for a file on disk: --check still catches
// a hand edit, a damaged entry is ignored, and a typecheck that ran before generation changed a file is not trusted.
// Everything runs the real `npm run pipeline` command on a copy of the project.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STEP_CACHE as CACHE } from "../../scripts/lib/step-cache.js";
import { type Finished, run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";

const STEPS = ["lint", "bundle", "types", "validators", "version", "typecheck"] as const;
type Step = (typeof STEPS)[number];

let copy: ProjectCopy;

async function pipeline(...args: string[]): Promise<Finished & { ran: Step[]; cached: Step[] }> {
  const [file, argv] = npmScript("pipeline", args);
  const result = await run(file, argv, { cwd: copy.dir });
  const rows = [...`${result.stdout}${result.stderr}`.matchAll(/^ {2}(\w+) +(cached|\d+ ms)$/gm)].filter(([, step]) =>
    STEPS.includes(step as Step),
  );
  const named = (cached: boolean) =>
    rows.filter(([, , time]) => (time === "cached") === cached).map(([, step]) => step as Step);
  return { ...result, ran: named(false), cached: named(true) };
}

/**
 * Replaces the version npm recorded for the package installed at `path` in the copy (what `npm install x@y` would
 * change).
 */
function recordVersion(path: string, version: string) {
  const file = "node_modules/.package-lock.json";
  const record = JSON.parse(copy.read(file)) as { packages: Record<string, { version: string }> };
  const entry = record.packages[path];
  if (!entry) throw new Error(`${path} is not installed`);
  entry.version = version;
  copy.write(file, JSON.stringify(record, null, 2));
}

beforeAll(async () => {
  copy = copyProject("ip1-nki-step-cache-");
  const first = await pipeline();
  expect(first.code, first.stderr).toBe(0);
}, WHOLE_TOOL_TIMEOUT_MS);

afterAll(() => copy?.remove());

describe("pipeline step cache", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("runs no step when nothing changed, and reads no library to find that out", async () => {
    const again = await pipeline();
    expect(again.code, again.stderr).toBe(0);
    expect(again.cached.sort()).toEqual([...STEPS].sort());
    expect(again.ran).toEqual([]);
    expect(again.stdout).toMatch(/changed:\n {2}\(none\)/);
  });

  // Each edit is made on top of the previous ones; each row names exactly the steps that must run again.
  const edits: [string, () => void, Step[]][] = [
    [
      "a spec file (a description, so the bundle, types and validators change)",
      () =>
        copy.edit(
          "spec/components/schemas/NkiUser.yaml",
          "description:",
          "description: (edited by the step-cache test)",
        ),
      ["lint", "bundle", "types", "validators", "typecheck"],
    ],
    [
      "redocly.yaml (a comment: lint, bundle and types read it; the bundle comes out the same)",
      () => copy.write("redocly.yaml", `${copy.read("redocly.yaml")}\n# edited by the step-cache test\n`),
      ["lint", "bundle", "types"],
    ],
    [
      "a module the validators' generator imports",
      () =>
        copy.write(
          "scripts/lib/openapi-refs.ts",
          `${copy.read("scripts/lib/openapi-refs.ts")}\n// edited by the test\n`,
        ),
      ["validators"],
    ],
    [
      "the types' generator",
      () => copy.write("scripts/gen-types.ts", `${copy.read("scripts/gen-types.ts")}\n// edited by the test\n`),
      ["types"],
    ],
    // The typecheck reads every installed package; the others read their libraries and all those depend on.
    [
      "ajv's installed version (the validators run it, and so does Redocly)",
      () => recordVersion("node_modules/ajv", "8.99.0"),
      ["lint", "bundle", "validators", "typecheck"],
    ],
    [
      "TypeScript 5.9's installed version",
      () => recordVersion("node_modules/typescript", "5.9.99"),
      ["types", "typecheck"],
    ],
    [
      "Redocly's installed version",
      () => recordVersion("node_modules/@redocly/openapi-core", "2.99.0"),
      ["lint", "bundle", "typecheck"],
    ],
    [
      "the Redocly that openapi-typescript has installed for itself",
      () => recordVersion("node_modules/openapi-typescript/node_modules/@redocly/openapi-core", "1.99.0"),
      ["types", "typecheck"],
    ],
    [
      "a source file",
      () => copy.write("src/status.ts", `${copy.read("src/status.ts")}\n// edited by the test\n`),
      ["typecheck"],
    ],
    [
      "the library project's tsconfig",
      () => copy.edit("tsconfig.lib.json", '"include"', '"exclude": ["nothing"],\n  "include"'),
      ["typecheck"],
    ],
    [
      "package.json's version",
      () =>
        copy.edit(
          "package.json",
          /"version": "[^"]+"/.exec(copy.read("package.json"))?.[0] ?? "",
          '"version": "9.9.9"',
        ),
      ["version", "typecheck"],
    ],
  ];

  it.each(edits)("after an edit of %s, runs again exactly the steps that read it", async (_what, edit, expected) => {
    edit();
    const result = await pipeline();
    expect(result.code, result.stderr).toBe(0);
    expect(result.ran.sort()).toEqual([...expected].sort());
    expect(result.cached.sort()).toEqual(STEPS.filter((step) => !expected.includes(step)).sort());
    // And once more: now nothing is left to do.
    const settled = await pipeline();
    expect(settled.ran).toEqual([]);
  });

  it("--check names a generated file edited by hand even though every step's output is cached", async () => {
    const edited = `${copy.read("generated/schema.d.ts")}\nexport type HandEdit = true;\n`;
    copy.write("generated/schema.d.ts", edited);

    const check = await pipeline("--check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("generated/schema.d.ts");
    expect(copy.read("generated/schema.d.ts")).toBe(edited);

    const repaired = await pipeline();
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout).toMatch(/changed:\n {2}generated\/schema\.d\.ts\n/);
    // Written back to what it was when the typecheck last passed: the files are a state already checked.
    expect(repaired.ran).toEqual([]);
    expect(copy.read("generated/schema.d.ts")).not.toContain("HandEdit");
  });

  it("ignores a damaged cache entry and runs the step again", async () => {
    const cacheDir = copy.path(CACHE);
    const entries = readdirSync(cacheDir).filter((name) => name.startsWith("validators-"));
    expect(entries.length).toBeGreaterThan(0);
    const validators = copy.read("generated/validators.js");
    for (const name of entries) {
      const entry = JSON.parse(copy.read(join(CACHE, name)));
      // Content changed without its digest: what a torn write or a hand edit leaves.
      entry.outputs["generated/validators.js"] = "export const tampered = true;\n";
      writeFileSync(join(cacheDir, name), JSON.stringify(entry));
    }
    const result = await pipeline();
    expect(result.code, result.stderr).toBe(0);
    expect(result.ran).toEqual(["validators"]);
    expect(copy.read("generated/validators.js")).toBe(validators);
  });

  it("two runs at once, with no cache, both succeed and leave whole entries", async () => {
    rmSync(copy.path(CACHE), { recursive: true, force: true });
    const runs = await Promise.all([pipeline(), pipeline()]);
    for (const result of runs) expect(result.code, result.stderr).toBe(0);
    const after = await pipeline("--check");
    expect(after.code, after.stderr).toBe(0);
    expect(after.cached.sort()).toEqual([...STEPS].sort());
  });

  it("with a full disk, runs every step and writes the right files: the cache only costs speed", async () => {
    // No file may grow past 0 bytes (RLIMIT_FSIZE), so no cache entry and no compiled script can be written.
    rmSync(copy.path(CACHE), { recursive: true, force: true });
    rmSync(copy.path("node_modules/.cache/ip1-nki/ts"), { recursive: true, force: true });
    const [file, args] = npmScript("pipeline", ["--check"]);
    const full = await run("bash", ["-c", 'ulimit -f 0 && exec "$0" "$@"', file, ...args], { cwd: copy.dir });
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(/stale:\n {2}\(none\)/);
    const leftovers = readdirSync(copy.path("node_modules/.cache/ip1-nki"), { recursive: true }).map(String);
    expect(leftovers.filter((name) => name.endsWith(".tmp") || name.endsWith(".json"))).toEqual([]);

    const after = await pipeline("--check");
    expect(after.code, after.stderr).toBe(0);
    expect(after.ran.sort()).toEqual([...STEPS].sort()); // nothing was cached with the disk full
  });

  it("does not trust the typecheck started before generation when generation changed a file", async () => {
    // No cache: the typecheck starts at once, on the files as they are, and passes. Without root types,
    // src/types-entry.ts's imports no longer exist, so on the regenerated files it must fail.
    rmSync(copy.path(CACHE), { recursive: true, force: true });
    copy.edit("redocly.yaml", "rootTypes: true", "rootTypes: false");
    const result = await pipeline();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Typecheck failed");
    expect(result.stderr).toContain("src/types-entry.ts");
  });
});
