// The pipeline's output is the same bytes on every machine: nothing machine-specific (absolute paths, the user,
// timestamps) leaks into generated/. (That two runs give the same bytes is what `pipeline --check` in npm test proves.)
import { readdirSync, readFileSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../../scripts/lib/project.js";

const generated = new URL("../../generated/", import.meta.url);
const files = readdirSync(generated).map((name) => [name, readFileSync(new URL(name, generated), "utf8")] as const);
const root = new URL("../../", import.meta.url).pathname;

describe("generated/ has nothing machine-specific", () => {
  it("has the pipeline's outputs and nothing else", () => {
    expect(files.map(([name]) => `generated/${name}`).sort()).toEqual(Object.values(generatedFiles).sort());
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)("%s names no local path, user or date", (_name, text) => {
    for (const local of [root, homedir(), `/${userInfo().username}/`]) expect(text).not.toContain(local);
    expect(text).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/); // an ISO timestamp
    expect(text.endsWith("\n")).toBe(true);
  });
});
