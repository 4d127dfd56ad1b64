// The browser comes with npm ci (no apt, no root): unpacked once, published whole even when two runs race, and
// IP1_NKI_CHROMIUM may name another one. Without a usable browser the docs test must fail and say why, never skip.
import { accessSync, constants, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { CHROMIUM_ENV, chromiumExecutable, unpackedDir } from "./chromium.js";

describe("chromiumExecutable", () => {
  it("unpacks the packaged Chromium once, whole, even for two callers at once", async () => {
    const [first, second] = await Promise.all([chromiumExecutable({}), chromiumExecutable({})]);
    expect(first).toBe(`${unpackedDir}/chromium`);
    expect(second).toBe(first);
    expect(() => accessSync(first, constants.X_OK)).not.toThrow();
    // Ours only: another test file may be unpacking beside us right now.
    expect(readdirSync(dirname(unpackedDir)).filter((name) => name.includes(`.partial-${process.pid}-`))).toEqual([]);
  });

  it(`uses ${CHROMIUM_ENV} when set`, async () => {
    await expect(chromiumExecutable({ [CHROMIUM_ENV]: process.execPath })).resolves.toBe(process.execPath);
  });

  it(`fails naming ${CHROMIUM_ENV} when it points at nothing`, async () => {
    await expect(chromiumExecutable({ [CHROMIUM_ENV]: "/nonexistent/chromium" })).rejects.toThrow(
      /^IP1_NKI_CHROMIUM=\/nonexistent\/chromium: no such file\. Point it at a Chromium/,
    );
  });
});
