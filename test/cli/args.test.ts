// Arguments: every mistake is exit 2 with a message naming the option; --help and --version work everywhere.
import { describe, expect, it } from "vitest";
import { parseSendArgs } from "../../src/cli/args.js";
import { runCli, send } from "./support.js";

describe("usage errors exit 2 and name the problem", () => {
  it.each([
    [["send", "--from", "Acme", "--message", "Hej", "--to", "+46701234567,Anna"], "--nki is required"],
    [["send", "--nki", "42", "--message", "Hej", "--to", "+46701234567,Anna"], "--from is required"],
    [["send", "--nki", "42", "--from", "Acme", "--to", "+46701234567,Anna"], "--message is required"],
    [[...send], "Give the recipients: --users users.csv, or one or more --to"],
    [[...send, "--to", "+46701234567,Anna", "--users", "u.csv"], "either with --users or with --to, not both"],
    [
      ["send", "--nki", "forty-two", "--from", "A", "--message", "B", "--to", "+4670,A"],
      '--nki: "forty-two" is not a whole number',
    ],
    [[...send, "--to", "+46701234567,Anna", "--bogus"], "Unknown option '--bogus'"],
    [[...send, "--to", "+46701234567,Anna", "--concurrency", "0"], "--concurrency: must be from 1 to 8, not 0"],
    [[...send, "--to", "+46701234567,Anna", "--chunk-size", "1001"], "--chunk-size: must be from 1 to 1000, not 1001"],
    [[...send, "--to", "+46701234567,Anna", "--force", "--dry-run"], "--dry-run sends nothing, so --resume"],
    [[...send, "--to", "+46701234567,Anna", "--currency", "SEK"], "--currency needs --price-per-segment"],
    [
      [...send, "--to", "+46701234567,Anna", "--price-per-segment", "0,35"],
      '--price-per-segment: "0,35" is not a price',
    ],
    [[...send, "--to", "+46701234567,Anna", "--resume", "j.jsonl"], "--resume FILE: the 0.2.0 journal is replaced"],
    [[...send, "--to", "+46701234567,Anna", "--journal", "k.jsonl"], "ip1-nki ledger import"],
    [[...send, "--to", "+46701234567,Anna", "--round", " "], "--round: give a name of 1 to 200 characters"],
    [[...send, "--to", "+46701234567,Anna", "--dry-run", "--mock"], "--dry-run sends nothing"],
    [[...send, "Hej", "--to", "+46701234567,Anna"], 'Unexpected argument "Hej"'],
    [["transmit"], 'unknown command "transmit"'],
    [[], "a command is required"],
  ])("%j", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });
});

describe("--help and --version", () => {
  it("ip1-nki --help lists the commands and the exit codes", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ip1-nki send [options]");
    expect(result.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 .*\n\s+3 /);
  });

  it.each([[["send", "--help"]], [["help", "send"]], [[...send, "-h"]]])("%j prints the send usage", async (argv) => {
    const result = await runCli(argv);
    expect(result.code).toBe(0);
    for (const option of ["--users", "--to", "--dry-run", "--mock", "--resume", "--force", "--json", "IP1_TOKEN"]) {
      expect(result.stdout).toContain(option);
    }
    expect(result.stdout).toContain("3  unknown: some recipients may or may not have been texted");
  });

  it("--version prints the package.json version", async () => {
    const { version } = (await import("../../package.json", { with: { type: "json" } })).default;
    const result = await runCli(["--version"]);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("parseSendArgs", () => {
  it("takes --timeout-ms in the client's range, 1 ms to 2^31 - 1 ms, and names the bound past it", () => {
    const parsed = parseSendArgs([...send.slice(1), "--to", "+46701234567,Anna", "--timeout-ms", "3600000"]);
    expect(parsed).toMatchObject({ options: { timeoutMs: 3_600_000 } });
    expect(() =>
      parseSendArgs([...send.slice(1), "--to", "+46701234567,Anna", "--timeout-ms", String(2 ** 31)]),
    ).toThrow(`--timeout-ms: must be from 1 to ${2 ** 31 - 1}, not ${2 ** 31}.`);
  });

  it("the help's defaults are the library's DEFAULTS", async () => {
    const { DEFAULTS } = await import("ip1-nki");
    const { stdout } = await runCli(["send", "--help"]);
    expect(stdout).toContain(`(default ${DEFAULTS.baseUrl})`);
    expect(stdout).toContain(`(default ${DEFAULTS.concurrency})`);
    expect(stdout).toContain(`(default ${DEFAULTS.chunkSize}, IP1's recommendation)`);
    expect(stdout).toContain(`per request (default ${DEFAULTS.timeoutMs})`);
    expect(stdout).toContain(`the survey round (default "${DEFAULTS.round}")`);
  });

  it("applies the defaults: chunks of 1000, 2 at a time", () => {
    const parsed = parseSendArgs([...send.slice(1), "--to", "+46701234567,Anna"]);
    expect(parsed).toMatchObject({
      help: false,
      options: { nki: 42, chunkSize: 1000, concurrency: 2, email: false, json: false, dryRun: false, mock: false },
    });
  });

  it("repeats --to, and keeps the price's decimals and the currency in capitals", () => {
    const parsed = parseSendArgs([
      ...send.slice(1),
      "--to",
      "+46701234567,Anna",
      "--to",
      "+46701234568,Bo",
      "--price-per-segment",
      "0.125",
      "--currency",
      "eur",
    ]);
    expect(parsed.help === false && parsed.options.to).toEqual(["+46701234567,Anna", "+46701234568,Bo"]);
    expect(parsed.help === false && parsed.options.price).toEqual({ perSegment: 0.125, decimals: 3, currency: "EUR" });
  });
});
