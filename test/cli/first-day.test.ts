// The "done when": a Swedish Excel export (Windows-1252, ";", CRLF, numbers written 070-123 45 67) and a
// three-line message go out from the CLI to the simulator with --default-country SE as the only extra option, and
// every person is texted exactly once. Without that option, the error names it.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { type MockServer, startMock } from "../../src/cli/mock.js";
import { runCli } from "./support.js";

const export20 = new URL("../fixtures/spreadsheets/swedish-excel-20.csv", import.meta.url).pathname;
const message = "Hej!\nTack för ditt besök hos oss.\nHur nöjd är du? Svara 1-5.";
const env = (url: string) => ({ IP1_BASE_URL: url, IP1_ACCOUNT: "ip1-12345", IP1_API_KEY: "first-day-key" });
const args = ["send", "--nki", "42", "--from", "Bolaget AB", "--message", message, "--users", export20];

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.stop();
  mock = undefined;
});

describe("a Swedish sender's first day", () => {
  it("the fixture is what Swedish Excel writes: Windows-1252, ';', CRLF, national numbers", () => {
    const bytes = readFileSync(export20);
    expect(bytes.includes(Buffer.from("Björn", "latin1"))).toBe(true); // ö as the single byte 0xF6
    expect(bytes.toString("latin1").split("\r\n")).toHaveLength(22); // header, 20 rows, the final CRLF
    expect(bytes.toString("latin1").split("\r\n")[1]).toBe("Anna;\u00c5berg;070-123 45 00");
  });

  it("without --default-country, nothing is sent and every error names --default-country SE", async () => {
    mock = await startMock();
    const result = await runCli(args, { env: env(mock.url) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${export20}:2: Phone: has no country code: give --default-country SE (it reads as a mobile number in SE)`,
    );
    expect(result.stderr).toContain(
      "Fix them, or add --default-country SE for the 20 numbers without a country code; or add --skip-invalid",
    );
    expect(mock.mock.ledger.entries).toHaveLength(0);
  });

  it("with --default-country SE as the only extra option, each of the 20 people gets exactly one text", async () => {
    mock = await startMock();
    const result = await runCli([...args, "--default-country", "SE"], { env: env(mock.url) });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const phones = Array.from({ length: 20 }, (_, i) => `+467012345${String(i).padStart(2, "0")}`);
    const { ledger } = mock.mock;
    for (const phone of phones) expect(ledger.sentTo(phone), phone).toHaveLength(1);
    expect(ledger.entries).toHaveLength(20);
    expect(ledger.textedMoreThanOnce()).toEqual([]);
    // The message went out as written, line breaks and all, and the names as Excel wrote them.
    expect(new Set(ledger.entries.map((sms) => sms.message))).toEqual(new Set([message]));
  });
});
