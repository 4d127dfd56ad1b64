// Phones: normalized to E.164 before anything else (what is sent, and what duplicates and IP1's records are matched
// by); a phone twice in the input is an error naming both lines, or with --skip-duplicates sent once, at its first
// line, and the later lines reported.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accepted, credentials, phonesPerRequest, runCli, send, serve, workDir } from "./support.js";

function csv(rows: string[]) {
  const cwd = workDir();
  writeFileSync(join(cwd, "users.csv"), `FirstName,Phone\n${rows.join("\n")}\n`);
  return cwd;
}

const rows = ["Anna,+46 70-123 45 67", "Bo,0046701234568", "Cilla,070-123 45 67", "Dan,+46701234569"];

describe("phone numbers", () => {
  it("a national number without --default-country is invalid; with it, every phone goes out in E.164", async () => {
    const server = await serve(accepted);
    const cwd = csv([rows[0] as string, rows[1] as string, "Cilla,070-123 45 69"]);
    const args = [...send, "--users", "users.csv", "--base-url", server.url];
    const without = await runCli(args, { env: credentials, cwd });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain(
      "users.csv:4: Phone: has no country code: give --default-country SE (it reads as a mobile number in SE), or write the number with its country code (such as +46…)",
    );
    expect(without.stderr).toContain(
      "Fix them, or add --default-country SE for the 1 number without a country code; or add --skip-invalid",
    );
    expect(without.stderr).not.toContain("defaultCountry");
    const result = await runCli([...args, "--default-country", "se"], { env: credentials, cwd });
    expect(result.code).toBe(0);
    expect(phonesPerRequest(server.requests)).toEqual([["+46701234567", "+46701234568", "+46701234569"]]);
  });

  it("text that is no number at all says so, without the national-number hint", async () => {
    const server = await serve(accepted);
    const cwd = csv(["Anna,+46701234567", "Bo,abc"]);
    const result = await runCli([...send, "--users", "users.csv", "--base-url", server.url], { env: credentials, cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "users.csv:3: Phone: is not a phone number (a phone number is digits, such as +46701234567)",
    );
    expect(result.stderr).not.toContain("country");
    expect(server.requests).toHaveLength(0);
  });

  it("a phone twice (after normalization) is an error naming both lines, and nothing is sent", async () => {
    const server = await serve(accepted);
    const cwd = csv(rows);
    const result = await runCli(
      [...send, "--users", "users.csv", "--default-country", "SE", "--base-url", server.url],
      {
        env: credentials,
        cwd,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        "Invalid input (1 duplicate phone); nothing was sent:",
        "  users.csv:4: Phone: +46701234567 is also on line 2; a phone is texted once",
        "Fix them, or add --skip-duplicates to text each phone once, at its first line.",
        "",
      ].join("\n"),
    );
    expect(server.requests).toHaveLength(0);
  });

  it("--skip-duplicates texts each phone once, at its first line, and reports the later lines", async () => {
    const server = await serve(accepted);
    const cwd = csv(rows);
    const result = await runCli(
      [...send, "--users", "users.csv", "--default-country", "SE", "--skip-duplicates", "--base-url", server.url],
      { env: credentials, cwd },
    );
    expect(result.code).toBe(0);
    expect(phonesPerRequest(server.requests)).toEqual([["+46701234567", "+46701234568", "+46701234569"]]);
    expect(result.stdout).toContain("Skipped, not sent:\n  users.csv:4: Phone: +46701234567 is also on line 2");
  });

  it("rejects a --default-country that is not a country", async () => {
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--default-country", "XX"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--default-country: "XX" is not a two-letter country code like SE or NO.');
  });
});

describe("an unexpected error", () => {
  it("after a request went out is exit 3 (unknown), never 2, and --json still prints one document", async () => {
    const server = await serve(accepted);
    const cwd = csv(["Anna,+46701234567", "Bo,+46701234568"]);
    const { code, stdout } = await runCli(
      [...send, "--users", "users.csv", "--chunk-size", "1", "--concurrency", "1", "--json", "--base-url", server.url],
      {
        env: credentials,
        cwd,
        // The run's state fails once the first request is out: an error no code path expects.
        state: {
          get requestSent() {
            return server.requests.length > 0;
          },
          set requestSent(_: boolean) {
            if (server.requests.length > 0) throw new Error("the clock broke");
          },
        },
      },
    );
    expect(server.requests.length).toBeGreaterThan(0);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ exitCode: 3, error: "unexpected error: the clock broke" });
  });
});

describe("PhoneRegistry", () => {
  it("remembers the first position of 200,000 phones through its growth, and of anything not E.164", async () => {
    const { PhoneRegistry } = await import("../../src/phone.js");
    const registry = new PhoneRegistry();
    const phone = (i: number) => `+${46_700_000_000 + i * 7919}`;
    // One assertion over all 200,000 answers: an expect() per phone took 15 s of a loaded 2-core machine.
    const firstSeen: (number | undefined)[] = [];
    for (let i = 0; i < 200_000; i++) firstSeen.push(registry.add(phone(i), i));
    expect(firstSeen.filter((position) => position !== undefined)).toEqual([]);
    const again: [number, number | undefined][] = [];
    for (let i = 0; i < 200_000; i += 997) again.push([i, registry.add(phone(i), 1_000_000 + i)]);
    expect(again.filter(([i, position]) => position !== i)).toEqual([]);
    expect(again).toHaveLength(201);
    expect(registry.add("+999999999999999", 1)).toBeUndefined();
    expect(registry.add("not a phone", 5)).toBeUndefined();
    expect(registry.add("not a phone", 6)).toBe(5);
    expect(registry.size).toBe(200_002);
  });
});
