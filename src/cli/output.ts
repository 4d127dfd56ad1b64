// What the CLI prints: text for people (reports on stdout, errors on stderr), or with --json one JSON document on
// stdout whatever happens. Every view is built from the same values, so the two cannot drift apart.

import { type CharacterPositions, explainSegments, type SegmentExplanation } from "../segments.js";
import type { Price } from "./args.js";
import type { CliError } from "./cli-error.js";
import { type CsvFormat, describeFormat } from "./csv-format.js";
import { ExitCode, exitCodeMeaning } from "./exit-codes.js";
import type { TextSink } from "./progress.js";
import { formatProblem, type InputProblem } from "./recipients.js";
import type { LedgerHeld, RecipientLine, SendReport } from "./send-report.js";

export interface Estimate {
  recipients: number;
  encoding: "GSM-7" | "UCS-2";
  /** The message's length in its encoding's units (septets or UTF-16 code units). */
  units: number;
  segmentsPerMessage: number;
  totalSegments: number;
  price?: { perSegment: number; total: number; currency?: string; decimals: number };
}

/** Before sending: where to, with which ledger, and whom the ledger holds already. */
export interface SendStart {
  estimate: Estimate;
  input: string;
  /** Invalid and duplicate recipients left out by --skip-invalid and --skip-duplicates. */
  skipped: InputProblem[];
  ledger: string;
  /** "the mock at http://…" or the API's origin. */
  target: string;
  nki: number;
  round: string;
  heldBefore: LedgerHeld;
  sendAgain: boolean;
  force: boolean;
}

export interface SendSummary {
  estimate: Estimate;
  skipped: InputProblem[];
  report: SendReport;
}

/** What a dry run explains beyond the estimate. */
export interface DryRunDetails {
  message: string;
  format?: CsvFormat | undefined;
}

/** How many recipients (and options) are in the way of a send. */
export interface InvalidCounts {
  invalid: number;
  duplicates: number;
  options: number;
}

export interface Output {
  /** Validation failed: nothing was sent. */
  invalid(problems: InputProblem[], counts: InvalidCounts): void;
  /** `details`: the message (to explain its price) and how the CSV was read (absent for --to). */
  dryRun(estimate: Estimate, input: string, skipped: InputProblem[], details?: DryRunDetails): void;
  /** Before sending: where to, how much, and whom the ledger holds back and why. */
  starting(start: SendStart): void;
  /** Resolves once the report is written (a long --json report waits for a slow reader instead of piling up). */
  sent(summary: SendSummary): void | Promise<void>;
  /** The run ended with an error; `exitCode` may differ from the error's own (3 once anything was sent). */
  error(error: CliError, exitCode: ExitCode): void;
}

/** How many of a list to print in text before "… and N more" (JSON gets them all). */
const LISTED = 20;

export function priceTotal(totalSegments: number, price: Price): Estimate["price"] {
  const scale = 10 ** price.decimals;
  return { ...price, total: Math.round(totalSegments * price.perSegment * scale) / scale };
}

/** The one fix for numbers written without a country code, if any are: --default-country, with the country if known. */
function defaultCountryHint(problems: readonly InputProblem[]): string {
  const national = problems.filter((problem) => problem.message.startsWith("has no country code"));
  if (national.length === 0) return "";
  const countries = new Set(national.map((problem) => /--default-country ([A-Z]{2}) /.exec(problem.message)?.[1]));
  const [country] = countries;
  const option =
    countries.size === 1 && country ? `--default-country ${country}` : "--default-country with their country";
  return `add ${option} for the ${national.length} number${plural(national.length)} without a country code`;
}

export function createOutput(json: boolean, stdout: TextSink, stderr: TextSink): Output {
  return json ? jsonOutput(stdout) : textOutput(stdout, stderr);
}

/** Stands in for the texts in a report's JSON until they are written one by one. */
const TEXTS = "\u0000texts";

/** With --json, exactly one document: whatever happens after the first is printed, nothing more is. */
function jsonOutput(stdout: TextSink): Output {
  let printed = false;
  const print = (document: Record<string, unknown> & { exitCode: ExitCode }) => {
    if (printed) return;
    printed = true;
    const meaning = exitCodeMeaning[document.exitCode];
    stdout.write(`${JSON.stringify({ ...document, meaning }, null, 2)}\n`);
  };
  return {
    invalid: (problems, counts) =>
      print({
        ok: false,
        exitCode: ExitCode.usage,
        error: "invalid input; nothing was sent",
        invalidCount: counts.invalid,
        duplicateCount: counts.duplicates,
        problems,
      }),
    dryRun: (estimate, input, skipped, details) => {
      const format = details?.format ? { format: details.format } : {};
      const explained = details ? explainSegments(details.message) : undefined;
      const why = explained && {
        why: {
          forcingUcs2: explained.forcingUcs2,
          extension: explained.extension,
          ...(explained.segmentsWithoutUcs2 ? { segmentsWithoutUcs2: explained.segmentsWithoutUcs2 } : {}),
        },
      };
      print({ ok: true, exitCode: ExitCode.ok, dryRun: true, input, ...format, ...estimate, ...why, skipped });
    },
    starting: () => {},
    sent: async ({ estimate, skipped, report }) => {
      if (printed) return;
      printed = true;
      // Written in pieces, so a million recipients never become one string or one buffer: the document around the
      // texts, and between its two halves every text, one line each, waiting whenever the reader falls behind.
      const { texts, attention: _listedInTexts, ...rest } = report;
      const document = {
        ok: report.exitCode === ExitCode.ok,
        dryRun: false,
        segments: estimate.totalSegments,
        skipped,
        ...rest,
        texts: TEXTS,
        meaning: exitCodeMeaning[report.exitCode],
      };
      const [before, after] = JSON.stringify(document, null, 2).split(JSON.stringify(TEXTS)) as [string, string];
      let piece = `${before}[`;
      let first = true;
      for (const text of texts()) {
        piece += `${first ? "" : ","}\n    ${text}`;
        first = false;
        if (piece.length > 65_536) {
          if (stdout.write(piece) === false) await stdout.drained?.();
          piece = "";
        }
      }
      stdout.write(`${piece}${first ? "" : "\n  "}]${after}\n`);
    },
    error: (error, exitCode) => print({ ok: false, exitCode, error: error.message, details: error.details }),
  };
}

function textOutput(stdout: TextSink, stderr: TextSink): Output {
  const say = (...lines: string[]) => stdout.write(`${lines.join("\n")}\n`);
  const listed = <T>(items: readonly T[], line: (item: T) => string) => [
    ...items.slice(0, LISTED).map((item) => `  ${line(item)}`),
    ...(items.length > LISTED ? [`  … and ${items.length - LISTED} more (--json lists them all)`] : []),
  ];
  const skippedLines = (skipped: InputProblem[]) =>
    skipped.length ? ["Skipped, not sent:", ...listed(skipped, formatProblem)] : [];
  return {
    invalid(problems, { invalid, duplicates, options }) {
      const what = [
        invalid ? `${invalid} invalid recipient${plural(invalid)}` : "",
        duplicates ? `${duplicates} duplicate phone${plural(duplicates)}` : "",
        options ? "options" : "",
      ].filter(Boolean);
      const hints = options
        ? []
        : [
            defaultCountryHint(problems),
            invalid ? "add --skip-invalid to send to the valid recipients only" : "",
            duplicates ? "add --skip-duplicates to text each phone once, at its first line" : "",
          ].filter(Boolean);
      stderr.write(
        `${[
          `Invalid input (${what.join(", ")}); nothing was sent:`,
          ...listed(problems, formatProblem),
          ...(hints.length ? [`Fix them, or ${hints.join("; or ")}.`] : []),
        ].join("\n")}\n`,
      );
    },
    dryRun(estimate, input, skipped, details) {
      const from = details?.format ? `${input}, read as ${describeFormat(details.format)}` : input;
      const why = details ? whyLine(explainSegments(details.message)) : "";
      say("Dry run: nothing was sent.", ...estimateLines(estimate, from, why), ...skippedLines(skipped));
    },
    starting({ estimate, input, skipped, ledger, target, nki, round, heldBefore, sendAgain, force }) {
      const recipients = `${estimate.recipients} recipient${plural(estimate.recipients)} from ${input}`;
      const lines = [
        `Sending to ${target}: ${recipients} (NKI ${nki}, round "${round}").`,
        `Ledger: ${ledger}`,
        ...skippedLines(skipped),
      ];
      const sent = heldBefore.sent;
      if (sent) {
        lines.push(
          sendAgain
            ? `--send-again: ${sent} of them ${were(sent)} texted in this round already and will be texted a second time.`
            : `The ledger holds ${sent} of them as texted in this round: they are not texted again (--send-again would).`,
        );
      }
      const unknown = heldBefore.unknown;
      if (unknown.length) {
        lines.push(
          ...(force
            ? [
                `--force: texting ${unknown.length} whose earlier text may have gone out (held as in flight or unknown):`,
                ...listed(unknown, entryLine),
              ]
            : [
                `The ledger holds ${unknown.length} of them as in flight or unknown (they may have been texted): they are not sent.`,
              ]),
        );
      }
      say(...lines);
    },
    sent({ report }) {
      const { recipients: r, held } = report;
      const heldStates = Object.entries(held)
        .map(([state, count]) => `${count} ${state}`)
        .join(", ");
      const lines = [
        `Recipients: ${r.sent} of ${r.total} sent, ${r.failed} failed, ${r.refused} refused by IP1, ${r.unknown} unknown, ` +
          `${r.held} held by the ledger${heldStates ? ` (${heldStates})` : ""}, ${r["in-flight"]} in flight, ${r["not-sent"]} not sent.`,
      ];
      if (report.sentAgain)
        lines.push(`${report.sentAgain} of them texted a second time in this round (--send-again).`);
      if (report.forced)
        lines.push(`${report.forced} texted again with --force (their earlier text may have gone out).`);
      const of = (state: RecipientLine["state"]) => report.attention.filter((text) => text.state === state);
      const section = (items: RecipientLine[], title: string, advice?: string) => {
        if (items.length) lines.push(title, ...listed(items, textLine), ...(advice ? [advice] : []));
      };
      section(of("failed"), "Failed (IP1 answered, but not with a live record for these):");
      section(
        of("refused"),
        "Refused by IP1 (nothing was sent to them; fix the cause, then run the same command again):",
      );
      const settle =
        `ip1-nki ledger settle --ledger ${report.ledger} --target ${report.ledgerTarget} --nki ${report.nki} ` +
        `--round "${report.round}"`;
      const unknownAdvice =
        "They may or may not have been texted, so no run texts them again unless you add --force. Check in IP1's " +
        `portal, then record what you found: ${settle} --phone PHONE --state sent|failed --note "…".`;
      section(of("unknown"), "Outcome unknown:", unknownAdvice);
      section(of("in-flight"), "In flight when this report was printed (the ledger holds them in flight: unknown):");
      const heldUnknown = report.attention.filter(
        (text) => text.state === "held" && (text.heldAs === "unknown" || text.heldAs === "in-flight"),
      );
      section(heldUnknown, "Held as in flight or unknown by an earlier run (not sent now):", unknownAdvice);
      if (held.sent) {
        lines.push(
          `Held as sent: ${held.sent} ${were(held.sent)} texted in round "${report.round}" already; nobody is texted twice ` +
            "unless you add --send-again (or start a new --round).",
        );
      }
      if (r["not-sent"]) {
        lines.push(
          `Not sent: ${r["not-sent"]} recipient${plural(r["not-sent"])} (the run stopped before them); run the same ` +
            "command again to send them: the ledger keeps everyone already texted from being texted again.",
        );
      }
      if (report.unexpectedRecords.length) {
        lines.push(
          "Records for phones that were not sent (flagged; check them in IP1's portal):",
          ...listed(report.unexpectedRecords, (to) => to),
        );
      }
      lines.push(...report.notes.map((note) => `Warning: ${note}`));
      lines.push(`Ledger: ${report.ledger}`, `Exit code ${report.exitCode}: ${exitCodeMeaning[report.exitCode]}.`);
      say(...lines);
    },
    error(error, exitCode) {
      const lines = [`ip1-nki: ${error.message}`, ...error.details.map((detail) => `  ${detail}`)];
      if (exitCode !== error.exitCode) lines.push(`Exit code ${exitCode}: ${exitCodeMeaning[exitCode]}.`);
      stderr.write(`${lines.join("\n")}\n`);
    },
  };
}

function estimateLines(estimate: Estimate, input: string, why = ""): string[] {
  const unit = estimate.encoding === "GSM-7" ? "septets" : "UTF-16 units";
  const lines = [
    `Recipients: ${estimate.recipients} (from ${input})`,
    `Message: ${estimate.encoding}, ${estimate.units} ${unit}, ${estimate.segmentsPerMessage} segment${plural(estimate.segmentsPerMessage)} per message`,
    ...(why ? [`Why: ${why}`] : []),
    `Total segments: ${estimate.totalSegments} (${estimate.recipients} × ${estimate.segmentsPerMessage})`,
  ];
  const { price } = estimate;
  if (price) {
    const amount = (value: number) => `${value.toFixed(price.decimals)}${price.currency ? ` ${price.currency}` : ""}`;
    const perPerson =
      Math.round(estimate.segmentsPerMessage * price.perSegment * 10 ** price.decimals) / 10 ** price.decimals;
    lines.push(
      `Price: ${amount(price.total)} (${estimate.totalSegments} segments × ${amount(price.perSegment)}; ${amount(perPerson)} per person)`,
    );
  }
  return lines;
}

/** The characters that set the price: "`€` at 41 costs 2 septets and `ö` is GSM-7; `😀` at 57 forces UCS-2: …". */
function whyLine(why: SegmentExplanation): string {
  const at = ({ character, positions }: CharacterPositions) =>
    `\`${printable(character)}\` at ${positions.slice(0, 3).join(", ")}${positions.length > 3 ? ", …" : ""}`;
  const some = <T>(items: readonly T[], show: (item: T) => string) =>
    items.slice(0, 5).map(show).join(", ") + (items.length > 5 ? ` and ${items.length - 5} more` : "");
  const gsm = [
    why.extension.length
      ? `${some(why.extension, at)} cost${why.extension.length === 1 ? "s" : ""} 2 septets (GSM-7 extension)`
      : "",
    why.gsmBeyondAscii.length
      ? `${some(why.gsmBeyondAscii, (char) => `\`${char}\``)} ${why.gsmBeyondAscii.length === 1 ? "is" : "are"} GSM-7`
      : "",
  ].filter(Boolean);
  const parts = gsm.length ? [gsm.join(" and ")] : [];
  if (why.forcingUcs2.length) {
    const instead =
      why.segmentsWithoutUcs2 === undefined
        ? ""
        : `: ${why.segments} segment${plural(why.segments)} instead of ${why.segmentsWithoutUcs2}`;
    parts.push(`${some(why.forcingUcs2, at)} force${why.forcingUcs2.length === 1 ? "s" : ""} UCS-2${instead}`);
  }
  return parts.length ? parts.join("; ") : "every character is GSM-7 and costs one septet";
}

/** A line break or other invisible character, shown as its escape. */
function printable(character: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? character : JSON.stringify(character).slice(1, -1);
}

function textLine(text: RecipientLine): string {
  const where = [text.name, text.line === undefined ? "" : `line ${text.line}`].filter(Boolean).join(", ");
  const ip1 = text.ip1?.id
    ? ` [IP1 ID ${text.ip1.id}${text.ip1.bundleId ? `, BundleID ${text.ip1.bundleId}` : ""}]`
    : "";
  return `${text.phone}${where ? ` (${where})` : ""}${text.heldAs ? ` held as ${text.heldAs}` : ""}${ip1}${text.error ? `: ${text.error}` : ""}`;
}

function entryLine(entry: { phone: string; name?: string | undefined; line?: number | undefined; state: string }) {
  const where = [entry.name, entry.line === undefined ? "" : `line ${entry.line}`].filter(Boolean).join(", ");
  return `${entry.phone}${where ? ` (${where})` : ""}: ${entry.state}`;
}

const were = (count: number) => (count === 1 ? "was" : "were");
const plural = (count: number) => (count === 1 ? "" : "s");
