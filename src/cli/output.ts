// What the CLI prints: text for people (reports on stdout, errors on stderr), or with --json one JSON document on
// stdout whatever happens. Every view is built from the same values, so the two cannot drift apart.
import type { Price } from "./args.js";
import type { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import type { AttemptRecord, ChunkSpan, OutcomeRecord } from "./journal.js";
import type { TextSink } from "./progress.js";
import { formatProblem, type InputProblem } from "./recipients.js";
import type { JobReport } from "./report.js";
import type { SendPlan } from "./resume.js";

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
  /** Invalid recipients left out by --skip-invalid. */
  skipped: InputProblem[];
  journal: string;
  /** "the mock at http://…" or the API's origin; undefined when nothing is left to send. */
  target: string | undefined;
  plan: SendPlan;
  report: JobReport;
  exitCode: ExitCode;
}

export interface Output {
  /** Validation failed: nothing was sent. */
  invalid(problems: InputProblem[], invalidCount: number, canSkip: boolean): void;
  dryRun(estimate: Estimate, input: string, skipped: InputProblem[]): void;
  /** Before sending: where to, how much, and (on resume) what is held back and why. */
  starting(summary: Omit<SendSummary, "report" | "exitCode">): void;
  sent(summary: SendSummary): void;
  error(error: CliError): void;
}

/** How many of a list to print in text before "… and N more" (JSON gets them all). */
const LISTED = 20;

export function priceTotal(totalSegments: number, price: Price): Estimate["price"] {
  const scale = 10 ** price.decimals;
  return { ...price, total: Math.round(totalSegments * price.perSegment * scale) / scale };
}

export function createOutput(json: boolean, stdout: TextSink, stderr: TextSink): Output {
  return json ? jsonOutput(stdout) : textOutput(stdout, stderr);
}

function jsonOutput(stdout: TextSink): Output {
  const print = (document: Record<string, unknown>) => stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return {
    invalid: (problems, invalidCount) =>
      print({ ok: false, exitCode: ExitCode.usage, error: "invalid input; nothing was sent", invalidCount, problems }),
    dryRun: (estimate, input, skipped) =>
      print({ ok: true, exitCode: ExitCode.ok, dryRun: true, input, ...estimate, skipped }),
    starting: () => {},
    sent: ({ exitCode, estimate, report, ...rest }) =>
      print({
        ok: exitCode === ExitCode.ok,
        exitCode,
        dryRun: false,
        ...rest,
        recipients: estimate.recipients,
        ...report,
      }),
    error: (error) => print({ ok: false, exitCode: error.exitCode, error: error.message, details: error.details }),
  };
}

function textOutput(stdout: TextSink, stderr: TextSink): Output {
  const say = (...lines: string[]) => stdout.write(`${lines.join("\n")}\n`);
  const listed = <T>(items: readonly T[], line: (item: T) => string) => [
    ...items.slice(0, LISTED).map((item) => `  ${line(item)}`),
    ...(items.length > LISTED ? [`  … and ${items.length - LISTED} more (--json lists them all)`] : []),
  ];
  const skippedLines = (skipped: InputProblem[]) =>
    skipped.length ? ["Skipped (--skip-invalid), not sent:", ...listed(skipped, formatProblem)] : [];
  return {
    invalid(problems, invalidCount, canSkip) {
      stderr.write(
        `${[
          `Invalid input (${invalidCount ? `${invalidCount} invalid recipient${plural(invalidCount)}` : "options"}); nothing was sent:`,
          ...listed(problems, formatProblem),
          ...(canSkip ? ["Fix them, or add --skip-invalid to send to the valid recipients only."] : []),
        ].join("\n")}\n`,
      );
    },
    dryRun(estimate, input, skipped) {
      say("Dry run: nothing was sent.", ...estimateLines(estimate, input), ...skippedLines(skipped));
    },
    starting({ estimate, input, skipped, journal, target, plan }) {
      const recipients = `${estimate.recipients} recipient${plural(estimate.recipients)} from ${input}`;
      const lines = [
        target === undefined
          ? `Nothing left to send: ${recipients}.`
          : `Sending to ${target}: ${recipients}, ${plan.send.length} chunk${plural(plan.send.length)} to send now.`,
        `Journal: ${journal}`,
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
    sent({ estimate, report, journal, plan, exitCode }) {
      const { chunks, messages } = report;
      const lines = [
        `Chunks: ${chunks.sent} of ${chunks.total} sent, ${chunks.failed} failed, ${chunks.unknown} unknown, ${chunks.notSent} not sent.`,
        `Messages: ${messages.total} record${plural(messages.total)} returned: ${messages.delivered} delivered, ` +
          `${messages.inTransit} in transit, ${messages.failed} failed, ${messages.unknown} with an unknown status.`,
      ];
      if (chunks.sent === chunks.total && messages.total !== estimate.recipients) {
        lines.push(
          `Note: the API returned ${messages.total} records for ${estimate.recipients} recipients (a mock answers with its example).`,
        );
      }
      if (report.failedRecipients.length) {
        lines.push(
          "Failed recipients (IP1 accepted the request, but these messages failed):",
          ...listed(report.failedRecipients, (r) =>
            `${r.to ?? "?"}${r.line ? ` (line ${r.line})` : ""}: Status ${r.status} ${r.description ?? ""}`.trim(),
          ),
        );
      }
      if (report.failedChunks.length) {
        lines.push(
          "Refused chunks (nothing was sent; fix the cause, then --resume sends them):",
          ...listed(report.failedChunks, (c) => `${describeChunk(c)}: ${c.error?.message ?? "failed"}`),
        );
      }
      if (report.unknownChunks.length) {
        const heldNow = plan.held.length > 0;
        lines.push(
          "Outcome unknown (these recipients may or may not have been texted):",
          ...listed(report.unknownChunks, (c) => `${describeChunk(c)}: ${unknownReason(c)}`),
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
      lines.push(`Journal: ${journal}`, `Exit code ${exitCode}: ${exitMeaning[exitCode]}`);
      say(...lines);
    },
    error(error) {
      stderr.write(`${[`ip1-nki: ${error.message}`, ...error.details.map((detail) => `  ${detail}`)].join("\n")}\n`);
    },
  };
}

const exitMeaning: Record<ExitCode, string> = {
  0: "all sent.",
  1: "some recipients failed or were not sent.",
  2: "usage or validation error.",
  3: "some outcomes are unknown.",
};

function estimateLines(estimate: Estimate, input: string): string[] {
  const unit = estimate.encoding === "GSM-7" ? "septets" : "UTF-16 units";
  const lines = [
    `Recipients: ${estimate.recipients} (from ${input})`,
    `Message: ${estimate.encoding}, ${estimate.units} ${unit}, ${estimate.segmentsPerMessage} segment${plural(estimate.segmentsPerMessage)} per message`,
    `Total segments: ${estimate.totalSegments} (${estimate.recipients} × ${estimate.segmentsPerMessage})`,
  ];
  const { price } = estimate;
  if (price) {
    const amount = (value: number) => `${value.toFixed(price.decimals)}${price.currency ? ` ${price.currency}` : ""}`;
    lines.push(`Price: ${amount(price.total)} (${estimate.totalSegments} segments × ${amount(price.perSegment)})`);
  }
  return lines;
}

function describeChunk(chunk: ChunkSpan): string {
  const lines = chunk.lines ? `, lines ${chunk.lines[0]}–${chunk.lines[1]}` : "";
  return `chunk ${chunk.chunk} (recipients ${chunk.first + 1}–${chunk.first + chunk.count}${lines})`;
}

function unknownReason(chunk: OutcomeRecord | AttemptRecord): string {
  return chunk.type === "chunk"
    ? (chunk.error?.message ?? "unknown")
    : `attempted at ${chunk.at}, but the run ended before IP1's answer was recorded`;
}

const plural = (count: number) => (count === 1 ? "" : "s");
