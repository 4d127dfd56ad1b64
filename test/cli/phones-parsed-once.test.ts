// A bulk send parses each phone once: the first pass normalizes it (libphonenumber-js, for a number not already in
// E.164) and keeps the result for the second, and the library gets it in E.164, which its fast path checks without
// the parser. More rows than normalizePhone's cache of recent numbers holds, so a second parse could not hide there.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { accepted, credentials, phoneOf, runCli, send, serve, workDir } from "./support.js";

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../src/phone-library.js", async (importOriginal) => {
  const library = await importOriginal<typeof import("../../src/phone-library.js")>();
  return {
    ...library,
    parsePhoneNumber: (...args: Parameters<typeof library.parsePhoneNumber>) => {
      parses.count++;
      return library.parsePhoneNumber(...args);
    },
  };
});

const COUNT = 6000;

describe("a bulk send of nationally written phones", () => {
  it("parses each phone once, and sends each person once in E.164", async () => {
    const cwd = workDir();
    const rows = Array.from({ length: COUNT }, (_, i) => `Namn${i},070-${phoneOf(i).slice(5)}`);
    writeFileSync(join(cwd, "users.csv"), `FirstName,Phone\n${rows.join("\n")}\n`);
    const server = await serve(accepted);
    parses.count = 0;
    const result = await runCli(
      [...send, "--users", "users.csv", "--default-country", "SE", "--chunk-size", "500", "--base-url", server.url],
      { env: credentials, cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    expect([...server.receipts.keys()].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => phoneOf(i)));
    expect([...server.receipts.values()].every((times) => times === 1)).toBe(true);
    expect(parses.count).toBe(COUNT);
  });
});
