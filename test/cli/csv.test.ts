// The CSV reader: quotes, commas and newlines in quotes, BOM, CRLF, any column order; errors carry the physical
// line (the header is line 1), right even after cells that span lines.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CsvRow, readUsersCsv } from "../../src/cli/csv.js";
import { fixtures, runCli, send, workDir } from "./support.js";

async function rows(path: string) {
  const read: CsvRow[] = [];
  const digest = await readUsersCsv(path, (row) => read.push(row));
  return { read, digest };
}

/** Writes `content` (bytes or text) to a temporary CSV and returns its path. */
function csv(content: string | Buffer, name = "users.csv") {
  const path = join(workDir(), name);
  writeFileSync(path, content);
  return path;
}

describe("readUsersCsv", () => {
  it("reads quoted cells with commas, doubled quotes and newlines, and leaves empty cells out", async () => {
    const { read, digest } = await rows(join(fixtures, "quoted.csv"));
    expect(read).toEqual([
      {
        line: 2,
        fields: {
          FirstName: "Anna",
          LastName: "Svensson",
          Phone: "+46701234567",
          Email: "anna@example.se",
          Extra: "kundnummer 1001",
        },
      },
      {
        line: 3,
        fields: {
          FirstName: "Lind, Bo",
          LastName: 'O"Brien',
          Phone: "+46701234568",
          Extra: 'a "quoted" note, with a comma',
        },
      },
      {
        line: 4,
        fields: {
          FirstName: "Cecilia\nMaria",
          LastName: "Ek",
          Phone: "+46701234569",
          Email: "cecilia@example.se",
          Extra: "line one\nline two",
        },
      },
      { line: 7, fields: { FirstName: "Dag", Phone: "+46701234570" } },
    ]);
    expect(digest).toEqual({ rows: 4, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("reads UTF-8 with a BOM and CRLF line ends, counting a CRLF inside quotes as one line", async () => {
    const { read } = await rows(join(fixtures, "bom-crlf.csv"));
    expect(read.map((row) => [row.line, row.fields.FirstName, row.fields.Extra])).toEqual([
      [2, "Åsa", undefined],
      [3, "Erik\r\nJohan", "note\r\nover lines"], // lines 3 to 5
      // line 6 is empty and skipped
      [7, "Fia", undefined],
    ]);
    // The BOM is not part of the first column's name.
    expect(read[0]?.fields).toHaveProperty("Phone", "+46701234567");
  });

  it("takes the columns in any order and any case, and needs only FirstName and Phone", async () => {
    const { read } = await rows(join(fixtures, "columns-reordered.csv"));
    expect(read.map((row) => row.fields)).toEqual([
      { Phone: "+46701234567", FirstName: "Anna" },
      { Phone: "+46701234568", FirstName: "Bo" },
    ]);
    const lower = await rows(csv("phone,firstname\n+46701234567,Anna\n"));
    expect(lower.read[0]?.fields).toEqual({ Phone: "+46701234567", FirstName: "Anna" });
  });

  it("marks a row with the wrong number of fields, and reads on", async () => {
    const { read } = await rows(csv("FirstName,Phone\nAnna,+46701234567,extra\nBo,+46701234568\n"));
    expect(read).toEqual([
      { line: 2, fields: {}, problem: "expected 2 fields, as in the header, but found 3" },
      { line: 3, fields: { FirstName: "Bo", Phone: "+46701234568" } },
    ]);
  });

  it("hashes the file's bytes, so a changed file is a different job", async () => {
    const a = await rows(csv("FirstName,Phone\nAnna,+46701234567\n"));
    const b = await rows(csv("FirstName,Phone\nAnna,+46701234568\n"));
    expect(a.digest.sha256).not.toBe(b.digest.sha256);
  });

  it.each([
    [
      "an unclosed quote, after a cell spanning lines",
      'FirstName,Phone\r\n"A\r\nB",+1\r\n"Cecilia,+2\r\n',
      ":4: Quote Not Closed",
    ],
    ["a quote inside an unquoted cell", 'FirstName,Phone\nAnna,+1\nB"o,+2\n', ":3: Invalid Opening Quote"],
    ["an unknown column", "FirstName,Telephone\nAnna,+1\n", ':1: unknown column "Telephone"'],
    ["no Phone column", "FirstName,LastName\nAnna,Ek\n", ":1: the header has no Phone column"],
    ["a repeated column", "FirstName,Phone,phone\nAnna,+1,+2\n", ":1: the column Phone appears twice"],
    ["an empty file", "", ": the file is empty; it needs a header row"],
  ])("rejects %s with its line", async (_, content, message) => {
    const path = csv(content);
    await expect(rows(path)).rejects.toThrow(`${path}${message}`);
  });

  it("rejects a file that is not UTF-8 (Windows-1252 from Excel) instead of garbling names", async () => {
    const path = csv(Buffer.concat([Buffer.from("FirstName,Phone\nJos"), Buffer.from([0xe9]), Buffer.from(",+1\n")]));
    await expect(rows(path)).rejects.toThrow(`${path}: the file is not UTF-8 text; save it as "CSV UTF-8"`);
  });

  it("names a missing file", async () => {
    await expect(rows("/nonexistent/users.csv")).rejects.toThrow("/nonexistent/users.csv: no such file.");
  });
});

describe("CSV errors from the CLI", () => {
  it("exit 2 with file:line as the user wrote the path, relative to the working directory", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "users.csv"), 'FirstName,Phone\n"Anna\nMaria",+46701234567\nBo,"+4670\n');
    const result = await runCli([...send, "--users", "users.csv", "--dry-run"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "ip1-nki: users.csv:4: Quote Not Closed: the parsing is finished with an opening quote\n",
    );
  });
});
