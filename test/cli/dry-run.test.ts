// --dry-run: validates, sends nothing, needs no credentials, and prints the count, the encoding and segments per
// message, the total segments and, given a per-segment price, the price.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateSegments } from "../../src/index.js";
import { fixtures, runCli, send, workDir, writeUsersCsv } from "./support.js";

const dryRun = (message: string, ...rest: string[]) =>
  runCli(["send", "--nki", "42", "--from", "Acme", "--message", message, ...rest, "--dry-run"]);

describe("--dry-run", () => {
  it("prints recipients, encoding, segments per message and in total, and the price", async () => {
    const users = writeUsersCsv(workDir(), 2500);
    const message = "Tack för ditt besök! Hur nöjd är du?";
    const result = await dryRun(message, "--users", users, "--price-per-segment", "0.35", "--currency", "SEK");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        "Dry run: nothing was sent.",
        `Recipients: 2500 (from ${users}, read as UTF-8, ","-separated)`,
        `Message: GSM-7, ${message.length} septets, 1 segment per message`,
        "Why: `ö`, `ä` are GSM-7",
        "Total segments: 2500 (2500 × 1)",
        "Price: 875.00 SEK (2500 segments × 0.35 SEK; 0.35 SEK per person)",
        "",
      ].join("\n"),
    );
  });

  it("counts a long UCS-2 message's segments for every recipient", async () => {
    const message = `Hej 😀 ${"å".repeat(70)}`; // emoji: UCS-2; 77 units > 70: two parts of 67
    expect(estimateSegments(message)).toEqual({ encoding: "UCS-2", segments: 2, units: 77 });
    const result = await dryRun(
      message,
      "--users",
      join(fixtures, "quoted-one-line.csv"),
      "--price-per-segment",
      "0.125",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Message: UCS-2, 77 UTF-16 units, 2 segments per message\n");
    expect(result.stdout).toContain("Total segments: 8 (4 × 2)\n");
    expect(result.stdout).toContain("Price: 1.000 (8 segments × 0.125; 0.250 per person)\n");
    expect(result.stdout).toContain("Why: `å` is GSM-7; `😀` at 5 forces UCS-2: 2 segments instead of 1\n");
  });

  it("--json prints the same figures as one document", async () => {
    const result = await dryRun(
      "Hej {namn}",
      "--to",
      "+46701234567,Anna",
      "--to",
      "+46701234568,Bo",
      "--json",
      "--price-per-segment",
      "0.35",
      "--currency",
      "EUR",
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      exitCode: 0,
      dryRun: true,
      input: "--to",
      recipients: 2,
      encoding: "GSM-7",
      units: 12, // { and } are GSM extension characters: two septets each
      segmentsPerMessage: 1,
      totalSegments: 2,
      price: { perSegment: 0.35, decimals: 2, currency: "EUR", total: 0.7 },
      why: {
        forcingUcs2: [],
        extension: [
          { character: "{", positions: [5] },
          { character: "}", positions: [10] },
        ],
      },
      skipped: [],
      meaning: expect.stringMatching(/^all sent/),
    });
  });

  it("says which characters set the price: an extension character, GSM-7 letters, and the emoji that forces UCS-2", async () => {
    const message = `Hej Anna!\nPris 5€ för ditt besök.\n${"Hur nöjd var du? ".repeat(6)}😀`;
    const result = await dryRun(
      message,
      "--to",
      "+46701234567,Anna",
      "--to",
      "+46701234568,Bo",
      "--price-per-segment",
      "0.35",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Why: `€` at 17 costs 2 septets (GSM-7 extension) and `ö` is GSM-7; `😀` at 137 forces UCS-2: 3 segments instead of 1\n",
    );
    expect(result.stdout).toContain("Total segments: 6 (2 × 3)\n");
    expect(result.stdout).toContain("Price: 2.10 (6 segments × 0.35; 1.05 per person)\n");
  });

  it("needs no credentials and no network", async () => {
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--dry-run"], {
      env: { IP1_BASE_URL: "http://192.0.2.1" }, // would be refused for credentials, and is never used
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Recipients: 1 (from --to)");
  });
});
