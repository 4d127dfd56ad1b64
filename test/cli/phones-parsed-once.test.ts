// A bulk send parses each phone once: the first pass normalizes it (libphonenumber-js, for a number not already in
// E.164) and keeps the result for the second, and the library gets it in E.164, which its fast path checks without
// the parser. More rows than normalizePhone's cache of recent numbers holds, so a second parse could not hide there.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import * as phoneLibrary from "../../src/phone-library.js";
import { accepted, credentials, phoneOf, runCli, send, serve, workDir } from "./support.js";

const COUNT = 6000;

describe("a bulk send of nationally written phones", () => {
  it("parses each phone once, and sends each person once in E.164", async () => {
    const cwd = workDir();
    const rows = Array.from({ length: COUNT }, (_, i) => `Namn${i},070-${phoneOf(i).slice(5)}`);
    writeFileSync(join(cwd, "users.csv"), `FirstName,Phone\n${rows.join("\n")}\n`);
    const server = await serve(accepted);
    const parse = vi.spyOn(phoneLibrary, "parsePhoneNumber");
    try {
      const result = await runCli(
        [...send, "--users", "users.csv", "--default-country", "SE", "--chunk-size", "500", "--base-url", server.url],
        { env: credentials, cwd },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(parse).toHaveBeenCalledTimes(COUNT);
    } finally {
      parse.mockRestore();
    }
    expect([...server.receipts.keys()].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => phoneOf(i)));
    expect([...server.receipts.values()].every((times) => times === 1)).toBe(true);
  });
});
