// What the CLI prints: text for people (reports on stdout, errors on stderr), or with --json one JSON document on
// stdout whatever happens. Every view is built from the same values, so the two cannot drift apart.

import { type CharacterPositions, explainSegments, type SegmentExplanation } from "../segments.js";
import type { Price } from "./args.js";
import type { CliError } from "./cli-error.js";
import { type CsvFormat, describeFormat } from "./csv-format.js";
import { ExitCode, exitCodeMeaning } from "./exit-codes.js";
import type { SendPlan } from "./ledger/plan.js";
import type { ChunkIssue, JobReport } from "./ledger/report.js";
import type { TextSink } from "./progress.js";
import { formatProblem, type InputProblem } from "./recipients.js";

export interface Estimate {
  recipients: number;
  encoding: "GSM-7" | "UCS-2";
  /** The message's length in its encoding's units (septets or UTF-16 code units). */
  units: number;
  segmentsPerMessage: number;
  totalSegments: number;
  price?: { perSegment: number; total: number; currency?: string; decimals: number };
}

export interface SendSummary {
  estimate: Estimate;
  input: string;
  /** Invalid and duplicate recipients left out by --skip-invalid and --skip-duplicates. */
  skipped: InputProblem[];
  journal: string;
  /** The job's id: the hash of what it sends (see ledger/identity.ts). */
  job: string;
  /** "the mock at http://…" or the API's origin; undefined when nothing is left to send. */
  target: string | undefined;
  plan: SendPlan;
  report: JobReport;
  exitCode: ExitCode;
  /** What went wrong on the way that the report alone does not say (a journal that could not be written, …). */
  notes: string[];
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
  /** Before sending: where to, how much, and (on resume) what is held back and why. */
  starting(summary: Omit<SendSummary, "report" | "exitCode" | "notes">): void;
  sent(summary: SendSummary): void;
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
    sent: ({ exitCode, estimate, report, ...rest }) =>
      print({
        ok: exitCode === ExitCode.ok,
        exitCode,
        dryRun: false,
        ...rest,
        segments: estimate.totalSegments,
        ...report,
      }),
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
    starting({ estimate, input, skipped, journal, job, target, plan }) {
      const recipients = `${estimate.recipients} recipient${plural(estimate.recipients)} from ${input}`;
      const lines = [
        target === undefined
          ? `Nothing left to send: ${recipients}.`
          : `Sending to ${target}: ${recipients}, ${plan.send.length} chunk${plural(plan.send.length)} to send now.`,
        `Journal: ${journal} (job ${job.slice(0, 16)})`,
        ...skippedLines(skipped),
      ];
      if (plan.done.length)
        lines.push(`Resuming: ${plan.done.length} chunk${plural(plan.done.length)} already sent, not resent.`);
      if (plan.retried.length) {
        lines.push(
          `Resending ${plan.retried.length} chunk${plural(plan.retried.length)} IP1 refused last time (nothing was sent then).`,
        );
      }
      if (plan.forced.length) {
        lines.push(
          `--force: resending ${plan.forced.length} chunk${plural(plan.forced.length)} whose outcome was unknown.`,
        );
      }
      say(...lines);
    },
    sent({ report, journal, plan, exitCode, notes }) {
      const { chunks, messages, recipients } = report;
      const lines = [
        `Chunks: ${chunks.sent} of ${chunks.total} sent, ${chunks.failed} failed, ${chunks.unknown} unknown, ${chunks.notSent} not sent.`,
        `Recipients: ${recipients.sent} of ${recipients.total} sent, ${recipients.failed} failed, ${recipients.noRecord} without a record, ` +
          `${recipients.refused} refused, ${recipients.unknown} unknown, ${recipients.notSent} not sent.`,
        `Messages: ${messages.total} record${plural(messages.total)} returned: ${messages.delivered} delivered, ` +
          `${messages.inTransit} in transit, ${messages.failed} failed, ${messages.unknown} with an unknown status.`,
      ];
      if (report.failedRecipients.length) {
        lines.push(
          "Failed recipients (IP1 accepted the request, but these messages failed):",
          ...listed(report.failedRecipients, (r) =>
            `${r.to ?? "?"}${r.line ? ` (line ${r.line})` : ""}: Status ${r.status} ${r.description ?? ""}`.trim(),
          ),
        );
      }
      if (report.noRecord.length) {
        lines.push(
          "No record (IP1 answered, but returned nothing for these: it drops duplicates and blacklisted numbers, so they were probably not texted):",
          ...listed(report.noRecord, (r) => `${r.phone}${r.line ? ` (line ${r.line})` : ""}`),
        );
      }
      if (report.unexpectedRecords.length) {
        lines.push(
          "Records for phones that were not sent (flagged; check them in IP1's portal):",
          ...listed(report.unexpectedRecords, (r) => `${r.to} (answer to chunk ${r.chunk})`),
        );
      }
      if (report.failedChunks.length) {
        lines.push(
          "Refused chunks (nothing was sent; fix the cause, then --resume sends them):",
          ...listed(report.failedChunks, (c) => `${describeChunk(c)}: ${c.reason}`),
        );
      }
      if (report.unknownChunks.length) {
        const heldNow = plan.held.length > 0;
        lines.push(
          "Outcome unknown (these recipients may or may not have been texted):",
          ...listed(report.unknownChunks, (c) => `${describeChunk(c)}: ${c.reason}`),
          "Resending them could text people twice, so --resume holds them back" +
            (heldNow ? " (it did now). " : ". ") +
            "Check in IP1's portal whether messages went to these recipients; if they did not, " +
            `send them with the same command and --resume ${journal} --force.`,
        );
      }
      if (report.notSentChunks.length) {
        lines.push(
          `Not sent: ${report.notSentChunks.length} chunk${plural(report.notSentChunks.length)} never went out (the run stopped early); ` +
            `send them with the same command and --resume ${journal}.`,
        );
      }
      lines.push(...notes.map((note) => `Warning: ${note}`));
      lines.push(`Journal: ${journal}`, `Exit code ${exitCode}: ${exitCodeMeaning[exitCode]}.`);
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

function describeChunk(chunk: ChunkIssue): string {
  const lines = chunk.lines ? `, lines ${chunk.lines[0]}–${chunk.lines[1]}` : "";
  return `chunk ${chunk.chunk} (recipients ${chunk.first + 1}–${chunk.first + chunk.count}${lines})`;
}

const plural = (count: number) => (count === 1 ? "" : "s");
