// `ip1-nki status`: follows the ledger's sent texts to delivery in IP1's sent log (the library's followDelivery)
// until each is final or the operator's bound, and prints delivered / failed / pending with counts and a list. The
// ledger holds every status seen, so running it again resumes.
import { type DeliveryReport, FOLLOW_DEFAULTS, followDelivery, type TextEntry } from "../index.js";
import { ExitCode } from "./exit-codes.js";
import { formatDuration, logOptionHelp, openLogContext, parseDuration, parseLogArgs, whole } from "./log-command.js";
import type { CliIo } from "./send.js";

const statusOptions = {
  until: {
    type: "string",
    help: `--until DURATION   stop following after this long (default ${formatDuration(FOLLOW_DEFAULTS.untilMs)}; Status 21 may last 48 h)`,
  },
  "max-polls": { type: "string", help: "--max-polls N      stop after N polls of the log" },
  interval: {
    type: "string",
    help: `--interval DURATION  the wait between polls (default ${formatDuration(FOLLOW_DEFAULTS.intervalMs)}; a 429's Retry-After wins)`,
  },
} as const;

export const statusHelp = `Usage: ip1-nki status [options]

Follows every text the ledger holds as sent to delivery: polls IP1's log of sent SMS (one read per bundle) until
each text reaches a final Status (22 delivered; 42, 51 or 52 failed) or a bound (--until, --max-polls), records each
status in the ledger as it is seen (so running it again resumes), and prints delivered, failed and pending texts.

${logOptionHelp}
${Object.values(statusOptions)
  .map((option) => `  ${option.help}`)
  .join("\n")}

Exit codes: 0 every text delivered; 1 finished, but some failed or are still pending; 2 a usage error.
`;

export async function runStatus(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const values = parseLogArgs("status", argv, statusOptions);
  if (values.help) {
    io.stdout.write(statusHelp);
    return ExitCode.ok;
  }
  const untilMs = values.until === undefined ? undefined : parseDuration(values.until as string, "--until");
  const intervalMs = values.interval === undefined ? undefined : parseDuration(values.interval as string, "--interval");
  const maxPolls =
    values["max-polls"] === undefined ? undefined : whole(values["max-polls"] as string, "--max-polls", 1_000_000);
  const context = await openLogContext(values, io);
  try {
    const report = await followDelivery(context.ledger, context.client, {
      filter: context.filter,
      untilMs,
      intervalMs,
      maxPolls,
      signal: io.stop,
      onPoll: (progress) => {
        if (!values.json) io.stderr.write(`poll ${progress.polls}: ${counts(progress)}\n`);
      },
    });
    io.stdout.write(values.json ? `${JSON.stringify(statusDocument(report), null, 2)}\n` : statusReport(report));
    return report.failed.length === 0 && report.pending.length === 0 ? ExitCode.ok : ExitCode.someFailed;
  } finally {
    await context.ledger.close();
  }
}

const counts = (report: DeliveryReport) =>
  `${report.delivered.length} delivered, ${report.failed.length} failed, ${report.pending.length} pending`;

const describe = (entry: TextEntry) =>
  `  ${entry.phone}${entry.name ? ` ${entry.name}` : ""}: Status ${entry.ip1?.status ?? "?"}, IP1 ID ${entry.ip1?.id}`;

const stopped: Record<DeliveryReport["stoppedBy"], string> = {
  complete: "every text is final",
  until: "the --until bound was reached; run again later to go on",
  "max-polls": "the --max-polls bound was reached; run again to go on",
  signal: "stopped; run again to go on",
};

function statusReport(report: DeliveryReport): string {
  const out = [`${counts(report)} (${report.polls} poll(s); ${stopped[report.stoppedBy]}).`];
  if (report.lastError) out.push(`The last failed read of IP1's log: ${report.lastError.message}`);
  for (const [title, entries] of [
    ["Delivered", report.delivered],
    ["Failed (IP1 says these may be sent again)", report.failed],
    ["Pending", report.pending],
  ] as const) {
    out.push(`${title}: ${entries.length}`);
    out.push(...entries.map(describe));
  }
  return `${out.join("\n")}\n`;
}

function statusDocument(report: DeliveryReport) {
  const texts = (entries: TextEntry[]) =>
    entries.map((entry) => ({ phone: entry.phone, nki: entry.nki, round: entry.round, ip1: entry.ip1 }));
  return {
    ok: report.failed.length === 0 && report.pending.length === 0,
    polls: report.polls,
    stoppedBy: report.stoppedBy,
    delivered: texts(report.delivered),
    failed: texts(report.failed),
    pending: texts(report.pending),
  };
}
