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
    expect(digest).toEqual({
      rows: 4,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      format: { encoding: "UTF-8", delimiter: ",", sepLine: false },
    });
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

  it("decodes a UTF-8 character whose bytes straddle two reads of the file", async () => {
    // The file is read in 64 KiB blocks: "Å" (two bytes) is placed across the first boundary, after the 3-byte BOM.
    const header = "Phone,FirstName,Extra\n+46701234567,Anna,";
    const padding = "x".repeat(64 * 1024 - 3 - Buffer.byteLength(header) - 1);
    const path = join(workDir(), "straddle.csv");
    writeFileSync(path, `\ufeff${header}${padding}Åsa\n`);
    const { read } = await rows(path);
    expect(read[0]?.fields.Extra).toBe(`${padding}Åsa`);
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

  it.each([1, 2, 3])(
    "reads UTF-8 whose 4-byte character is cut %i bytes in by the end of a 256 KiB read block as UTF-8",
    async (cut) => {
      const header = "FirstName,Phone\n";
      const pad = "x".repeat(256 * 1024 - Buffer.byteLength(header) - cut);
      const path = csv(`${header}${pad}😀,+46701234567\n`);
      const { read, digest } = await rows(path);
      expect(digest.format.encoding).toBe("UTF-8");
      expect(read).toEqual([{ line: 2, fields: { FirstName: `${pad}😀`, Phone: "+46701234567" } }]);
    },
  );

  it("reads a file as Windows-1252 when its last UTF-8 sequence is cut short by the file's end", async () => {
    const path = csv(Buffer.concat([Buffer.from("FirstName,Phone\nAnna,+46701234567\nB"), Buffer.from([0xc3])]));
    expect((await rows(path)).digest.format.encoding).toBe("Windows-1252");
  });

  it("reads a file that is not UTF-8 as Windows-1252, even when the first bad byte is far down", async () => {
    const lines = ["FirstName,Phone", ...Array.from({ length: 5000 }, (_, i) => `Namn${i},+4670${1000000 + i}`)];
    const path = csv(
      Buffer.concat([Buffer.from(`${lines.join("\n")}\nJos`), Buffer.from([0xe9]), Buffer.from(",+46709999999\n")]),
    );
    const { read, digest } = await rows(path);
    expect(digest.format.encoding).toBe("Windows-1252");
    expect(read.at(-1)).toEqual({ line: 5002, fields: { FirstName: "José", Phone: "+46709999999" } });
  });

  it("refuses a file whose BOM says UTF-8 when its bytes are not, naming the line", async () => {
    const path = csv(Buffer.concat([Buffer.from("\ufeffFirstName,Phone\nAnna,+1\nJos"), Buffer.from([0xe9, 0x0a])]));
    await expect(rows(path)).rejects.toThrow(`${path}:3: the file starts with a UTF-8 BOM but is not UTF-8 text`);
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

const sheets = new URL("../fixtures/spreadsheets/", import.meta.url).pathname;

describe("spreadsheets as Excel and LibreOffice save them", () => {
  it('Excel "CSV UTF-8" (Swedish): BOM, ";", CRLF, a quoted cell holding ";" and a line break', async () => {
    const { read, digest } = await rows(join(sheets, "excel-utf8-bom-semicolon.csv"));
    expect(digest.format).toEqual({ encoding: "UTF-8 with BOM", delimiter: ";", sepLine: false });
    expect(read).toEqual([
      { line: 2, fields: { FirstName: "Åsa", LastName: "Öberg", Phone: "+46 70-123 45 67", Email: "asa@example.se" } },
      {
        line: 3,
        fields: {
          FirstName: "Göran",
          LastName: "Lind; Ek",
          Phone: "+46701234568",
          Extra: "Kund sedan 2019\nring före 10",
        },
      },
      {
        line: 5,
        fields: {
          FirstName: 'Per "Pelle"',
          LastName: "Ström",
          Phone: "+46701234569",
          Email: "per@example.se",
          Extra: "Tack – 5€",
        },
      },
    ]);
  });

  it('Excel "CSV" (Swedish): Windows-1252 decoded exactly: € (0x80), – (0x96), ’ (0x92), Å, Ö', async () => {
    const { read, digest } = await rows(join(sheets, "excel-windows-1252.csv"));
    expect(digest.format).toEqual({ encoding: "Windows-1252", delimiter: ";", sepLine: false });
    expect(read.map((row) => row.fields)).toEqual([
      { FirstName: "Åsa", LastName: "Öberg", Phone: "+46701234567", Extra: "pris 5€ – ok" },
      { FirstName: "Sean", LastName: "O’Neill", Phone: "+46701234568" },
    ]);
  });

  it('Excel "Unicode text": UTF-16LE with BOM, tab-separated, an emoji outside the BMP', async () => {
    const { read, digest } = await rows(join(sheets, "excel-unicode-text.txt"));
    expect(digest.format).toEqual({ encoding: "UTF-16LE with BOM", delimiter: "\t", sepLine: false });
    expect(read.map((row) => row.fields)).toEqual([
      { FirstName: "Åsa", LastName: "Öberg", Phone: "+46701234567" },
      { FirstName: "Zoë", LastName: "😀 Ek", Phone: "+46701234568" },
    ]);
  });

  it("UTF-16BE with BOM", async () => {
    const { read, digest } = await rows(join(sheets, "utf16be.csv"));
    expect(digest.format.encoding).toBe("UTF-16BE with BOM");
    expect(read).toEqual([{ line: 2, fields: { FirstName: "Åsa", Phone: "+46701234567" } }]);
  });

  it("Excel's sep=; first line names the delimiter; the header is then line 2", async () => {
    const { read, digest } = await rows(join(sheets, "sep-line.csv"));
    expect(digest.format).toEqual({ encoding: "UTF-8", delimiter: ";", sepLine: true });
    expect(read).toEqual([
      { line: 3, fields: { FirstName: "Åsa", Phone: "+46701234567", Extra: "a, b" } },
      { line: 4, fields: { FirstName: "Bo", Phone: "+46701234568" } },
    ]);
  });

  it("a sep= line after a UTF-8 BOM names the delimiter too", async () => {
    const path = join(workDir(), "bom-sep.csv");
    writeFileSync(path, "\ufeffsep=;\nPhone;FirstName\n+46701234567;Åsa\n");
    const { read, digest } = await rows(path);
    expect(digest.format).toEqual({ encoding: "UTF-8 with BOM", delimiter: ";", sepLine: true });
    expect(read).toEqual([{ line: 3, fields: { FirstName: "Åsa", Phone: "+46701234567" } }]);
  });

  it("Swedish headers are read through --column's map, matched ignoring case and spaces", async () => {
    const columns = new Map([
      ["förnamn", "FirstName"],
      ["efternamn", "LastName"],
      ["telefon", "Phone"],
      ["e-post", "Email"],
    ]);
    const read: CsvRow[] = [];
    await readUsersCsv(join(sheets, "swedish-headers.csv"), (row) => read.push(row), undefined, undefined, { columns });
    expect(read).toEqual([
      { line: 2, fields: { FirstName: "Åsa", LastName: "Öberg", Phone: "070-123 45 67", Email: "asa@example.se" } },
      { line: 3, fields: { FirstName: "Göran", LastName: "Lind; Ek", Phone: "070-123 45 68" } },
    ]);
  });

  it("without --column, a Swedish header is refused, and the error shows the --column that fixes it", async () => {
    const path = join(sheets, "swedish-headers.csv");
    await expect(rows(path)).rejects.toThrow(
      `${path}:1: unknown column "Förnamn"; the columns are FirstName, LastName, Phone, Email, Extra. Name the field it holds with --column, for example --column FirstName=Förnamn.`,
    );
  });

  it("refuses a file cut in the middle of a quoted cell before anything is read as sent, naming the line", async () => {
    const path = csv('\ufeffFirstName;Phone\r\nAnna;+46701234567\r\n"Bo;+46701234568\r\n');
    await expect(rows(path)).rejects.toThrow(`${path}:3: Quote Not Closed`);
  });
});

describe("spreadsheets from the CLI", () => {
  it("--dry-run says which encoding and delimiter it read", async () => {
    const result = await runCli([...send, "--users", join(sheets, "excel-windows-1252.csv"), "--dry-run"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `(from ${join(sheets, "excel-windows-1252.csv")}, read as Windows-1252, ";"-separated)`,
    );
  });

  it("--column maps Swedish headers; --default-country reads their national numbers", async () => {
    const result = await runCli([
      ...send,
      "--users",
      join(sheets, "swedish-headers.csv"),
      "--column",
      "FirstName=Förnamn",
      "--column",
      "lastname= efternamn ",
      "--column",
      "Phone=TELEFON",
      "--column",
      "Email=E-post",
      "--default-country",
      "SE",
      "--dry-run",
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Recipients: 2 (from");
  });

  it("--dry-run --json gives the format as fields", async () => {
    const result = await runCli([...send, "--users", join(sheets, "excel-unicode-text.txt"), "--dry-run", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      input: join(sheets, "excel-unicode-text.txt"),
      format: { encoding: "UTF-16LE with BOM", delimiter: "\t", sepLine: false },
      recipients: 2,
    });
  });

  it("refuses --column without --users", async () => {
    const result = await runCli([...send, "--to", "+46701234567,Anna", "--column", "Phone=Telefon", "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("ip1-nki: --column maps a CSV header to a recipient field, so it needs --users.\n");
  });

  it.each([
    [["--column", "Phone"], '--column "Phone": give FIELD=HEADER'],
    [["--column", "Telefonnummer=Telefon"], "where FIELD is one of FirstName, LastName, Phone, Email, Extra"],
    [["--column", "Phone=Telefon", "--column", "FirstName=telefon"], '--column: the header "telefon" is mapped twice.'],
    [["--column", "Phone=Mobil"], '--column Phone=…: the header has no column "mobil"'],
  ])("refuses a wrong --column %j, sending nothing", async (extra, message) => {
    const result = await runCli([...send, "--users", join(sheets, "swedish-headers.csv"), ...extra, "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
