// The CSV reader (src/cli/csv-records.ts) against csv-parse 7, which the CLI read CSV files with before: on random
// text of the characters that matter (delimiters, quotes, CR, LF, spaces, a no-break space, letters), fed in random
// pieces, both give the same records, the same blank lines skipped before each, and the same error where there is one.
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvRecordReader, CsvSyntaxError } from "../../src/cli/csv-records.js";
import { runParameters } from "./run-parameters.js";

type Outcome = { records: [string[], number][]; error?: { message: string; emptyLines: number } };

/** csv-parse names the first byte of a character after a closing quote (as Latin-1); ours names the character. */
const byCharacter = (message: string) => message.replace(/^(Invalid Closing Quote: got ")[^ -~]+"/, '$1…"');

function csvParse(text: string, delimiter: string): Outcome {
  const records: [string[], number][] = [];
  try {
    parse(Buffer.from(text), {
      delimiter,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n"],
      on_record: (record: string[], context) => {
        records.push([record, context.empty_lines]);
        return null;
      },
    });
    return { records };
  } catch (error) {
    const { message, empty_lines } = error as Error & { empty_lines: number };
    const located = byCharacter(message.replace(/ at line \d+/, ""));
    return { records, error: { message: located, emptyLines: empty_lines } };
  }
}

function ours(pieces: string[], delimiter: string): Outcome {
  const records: [string[], number][] = [];
  const reader = new CsvRecordReader(delimiter, (cells) => records.push([cells, reader.emptyLines]));
  try {
    for (const piece of pieces) reader.write(piece);
    reader.end();
    return { records };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records, error: { message: byCharacter(error.message), emptyLines: error.emptyLines } };
  }
}

// A no-break space comes with a letter after it: csv-parse reads a multi-byte space right after a closing quote as
// a space and then its second byte as text (the last case below); every other place of it is compared.
const characters = [",", ";", "\t", '"', '"', "\r", "\n", "\r\n", " ", "\u00a0b", "a", "b", "é", "😀"];
const text = fc.array(fc.constantFrom(...characters), { maxLength: 60 }).map((parts) => parts.join(""));

/** `text` cut at random places (a cut may fall inside a CRLF or a doubled quote, or split a surrogate pair's text). */
const cut = (whole: string, at: number[]) => {
  const points = [...new Set(at.map((n) => n % (whole.length + 1)))].sort((a, b) => a - b);
  return [...points, whole.length].map((end, i) => whole.slice(i === 0 ? 0 : points[i - 1], end));
};

describe("the CSV reader reads as csv-parse did", () => {
  it("on random text in random pieces, with each delimiter", () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(",", ";", "\t"), (whole, at, sep) => {
        expect(ours(cut(whole, at), sep), JSON.stringify(whole)).toEqual(csvParse(whole, sep));
      }),
      runParameters(),
    );
  });

  it.each([
    ["quoted cells with delimiters, line breaks and doubled quotes", 'a,"b, ""c""\r\nd",e\n'],
    ["spaces around cells and quotes, a blank line of spaces", ' a , "b" \n   \n\n c,d'],
    ["a U+FEFF inside the text, trimmed as a space (the decoder drops the file's BOM)", "a,\ufeffb\n\ufeff\n"],
    ["an unclosed quote", 'a\n"b\n'],
    ["a quote inside a cell", 'a,b"c\n'],
    ["text after a closing quote", '"a"b\n'],
    ["a lone CR inside a cell", "a\rb,c\r\n"],
  ])("%s", (_, whole) => {
    const expected = csvParse(whole, ",");
    expect(ours([whole], ",")).toEqual(expected);
    expect(ours([...whole], ",")).toEqual(expected); // a character at a time
  });

  it("reads a no-break space after a closing quote as a space, where csv-parse refused the file", () => {
    expect(csvParse('"a"\u00a0,b\n', ",").error?.message).toBe(
      "Invalid Closing Quote: found non trimable byte after quote",
    );
    expect(ours(['"a"\u00a0,b\n'], ",")).toEqual({ records: [[["a", "b"], 0]] });
  });
});
