// Validation: every invalid recipient is reported with its CSV line (or --to) and field, exit 2, and nothing is sent;
// --skip-invalid sends the valid ones and reports the rest.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerFor, credentials, fixtures, phonesPerRequest, runCli, send, serve, workDir } from "./support.js";

const invalidCsv = join(fixtures, "invalid.csv");
// Line 3's first name holds a newline, which the client policy refuses (no control characters in any field).
const invalidLines = [
  `${invalidCsv}:3: FirstName: must not contain control characters (NUL, CR, LF, …)`,
  `${invalidCsv}:5: FirstName: is required`,
  `${invalidCsv}:7: Phone: not a valid phone number`,
  `${invalidCsv}:8: expected 5 fields, as in the header, but found 6`,
  `${invalidCsv}:9: Email: must NOT have more than 50 characters`,
];

describe("invalid recipients", () => {
  it("exit 2, every problem with its line and field, and nothing on the wire nor a journal", async () => {
    const server = await serve({ answer: 200, body: "[]" });
    const cwd = workDir();
    const result = await runCli([...send, "--users", invalidCsv, "--base-url", server.url], { env: credentials, cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        "Invalid input (5 invalid recipients); nothing was sent:",
        ...invalidLines.map((line) => `  ${line}`),
        "Fix them, or add --skip-invalid to send to the valid recipients only.",
        "",
      ].join("\n"),
    );
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("with --json, the problems are structured, with the line and field apart", async () => {
    const result = await runCli([...send, "--users", invalidCsv, "--dry-run", "--json"]);
    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ ok: false, exitCode: 2, invalidCount: 5 });
    expect(document.problems[2]).toEqual({
      where: `${invalidCsv}:7`,
      line: 7,
      field: "Phone",
      message: "not a valid phone number",
    });
  });

  it("--skip-invalid sends only the valid rows, and reports the skipped ones", async () => {
    const valid = ["+46701234567", "+46701234570", "+46701234573"];
    const server = await serve({ answer: 200, body: answerFor(valid) });
    const cwd = workDir();
    const result = await runCli([...send, "--users", invalidCsv, "--skip-invalid", "--base-url", server.url], {
      env: credentials,
      cwd,
    });
    expect(result.code).toBe(0);
    expect(phonesPerRequest(server.requests)).toEqual([valid]);
    expect(result.stdout).toContain(["Skipped, not sent:", ...invalidLines.map((l) => `  ${l}`)].join("\n"));
    expect(result.stdout).toContain("Recipients: 3 of 3 sent");
  });

  it("--skip-invalid with no valid row left is exit 2", async () => {
    const dir = workDir();
    const result = await runCli([...send, "--to", "+46701234567", "--skip-invalid", "--dry-run"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("ip1-nki: No valid recipients in --to: nothing to send.\n");
  });
});

describe("--to recipients and the options", () => {
  it("--to without a first name names FirstName and shows how to give it", async () => {
    const result = await runCli([...send, "--to", "+46701234567", "--to", "+46701234568,Bo", "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--to #1 (+46701234567): FirstName: is required (--to takes PHONE,FIRSTNAME[,LASTNAME[,EMAIL[,EXTRA]]])",
    );
    expect(result.stderr).not.toContain("--to #2");
  });

  it("--to with too many parts says to use --users", async () => {
    const result = await runCli([...send, "--to", "+46701234567,Anna,Lind,a@b.se,extra,more", "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--to #1 (+46701234567,Anna,Lind,a@b.se,extra,more): has 6 comma-separated parts; give PHONE,FIRSTNAME[,LASTNAME[,EMAIL[,EXTRA]]]",
    );
  });

  it("an --nki outside the API's int32 is named as --nki, and reported once, not per recipient", async () => {
    const result = await runCli([
      "send",
      "--nki",
      "4294967296",
      "--from",
      "Acme",
      "--message",
      "Hej",
      "--users",
      join(fixtures, "quoted-one-line.csv"),
      "--dry-run",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Invalid input \(options\); nothing was sent:\n {2}--nki: must be <= 2147483647\n$/);
  });

  it("a valid dry run writes no journal", async () => {
    const cwd = workDir();
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--dry-run"], { cwd });
    expect(result.code).toBe(0);
    expect(existsSync(cwd) && readdirSync(cwd)).toEqual([]);
  });
});
