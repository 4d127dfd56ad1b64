// What the CLI prints: text for people (reports on stdout, errors on stderr), or with --json one JSON document on
// stdout whatever happens. Every view is built from the same values, so the two cannot drift apart.
import type { Price } from "./args.js";
import type { CliError } from "./cli-error.js";
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

/** How many recipients (and options) are in the way of a send. */
export interface InvalidCounts {
  invalid: number;
  duplicates: number;
  options: number;
}

export interface Output {
  /** Validation failed: nothing was sent. */
  invalid(problems: InputProblem[], counts: InvalidCounts): void;
  dryRun(estimate: Estimate, input: string, skipped: InputProblem[]): void;
  /** Before sending: where to, how much, and whom the ledger holds back and why. */
  starting(start: SendStart): void;
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
    dryRun: (estimate, input, skipped) =>
      print({ ok: true, exitCode: ExitCode.ok, dryRun: true, input, ...estimate, skipped }),
    starting: () => {},
    sent: ({ estimate, skipped, report }) =>
      print({
        ok: report.exitCode === ExitCode.ok,
        dryRun: false,
        segments: estimate.totalSegments,
        skipped,
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
    dryRun(estimate, input, skipped) {
      say("Dry run: nothing was sent.", ...estimateLines(estimate, input), ...skippedLines(skipped));
    },
    starting({ estimate, input, skipped, ledger, target, nki, round, heldBefore, sendAgain, force }) {
      const recipients = `${estimate.recipients} recipient${plural(estimate.recipients)} from ${input}`;
      const lines = [
        `Sending to ${target}: ${recipients} (NKI ${nki}, round "${round}").`,
        `Ledger: ${ledger}`,
        ...skippedLines(skipped),
      ];
      const sent = heldBefore.sent.length;
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
      const of = (state: RecipientLine["state"]) => report.texts.filter((text) => text.state === state);
      const section = (items: RecipientLine[], title: string, advice?: string) => {
        if (items.length) lines.push(title, ...listed(items, textLine), ...(advice ? [advice] : []));
      };
      section(of("failed"), "Failed (IP1 answered, but not with a live record for these):");
      section(
        of("refused"),
        "Refused by IP1 (nothing was sent to them; fix the cause, then run the same command again):",
      );
      const settle = `ip1-nki ledger settle --ledger ${report.ledger} --nki ${report.nki} --round "${report.round}"`;
      const unknownAdvice =
        "They may or may not have been texted, so no run texts them again unless you add --force. Check in IP1's " +
        `portal, then record what you found: ${settle} --phone PHONE --state sent|failed --note "…".`;
      section(of("unknown"), "Outcome unknown:", unknownAdvice);
      section(of("in-flight"), "In flight when this report was printed (the ledger holds them in flight: unknown):");
      const heldUnknown = report.texts.filter(
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
