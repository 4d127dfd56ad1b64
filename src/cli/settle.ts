// `ip1-nki settle`: settles the ledger's unknown texts from IP1's sent log (the library's settleUnknowns), prints
// what it found, and for what it did not find prints the exact command that texts those people again: absence from
// the log is not proof, so that stays the operator's explicit choice.
import { SETTLE_DEFAULTS, type SettleResult, settleUnknowns, type TextEntry } from "../index.js";
import { ExitCode } from "./exit-codes.js";
import {
  formatDuration,
  type LogContext,
  logOptionHelp,
  openLogContext,
  parseDuration,
  parseLogArgs,
  shellWord,
} from "./log-command.js";
import type { CliIo } from "./send.js";

const settleOptions = {
  window: {
    type: "string",
    help: `--window DURATION  how long after its claim a text may appear in IP1's log (default ${formatDuration(SETTLE_DEFAULTS.windowMs)})`,
  },
  "include-recent": {
    type: "boolean",
    help: `--include-recent   also settle texts claimed in the last ${formatDuration(SETTLE_DEFAULTS.inFlightGraceMs)} (no send may be running)`,
  },
} as const;

export const settleHelp = `Usage: ip1-nki settle [options]

Looks up every text the ledger holds as unknown (or in flight from a run that died) in IP1's log of sent SMS: by
its BundleID when IP1's answer was partly read, else by phone among the texts created in its claim's window with
the same message. Found: recorded as sent (or failed), with IP1's ID. Not found: stays unknown, noted "not in IP1's
log after N minutes"; absence is not proof, so nothing is resent, and the command to text them again is printed.
(To record by hand what you found out in IP1's portal instead, see ip1-nki ledger settle.)

${logOptionHelp}
${Object.values(settleOptions)
  .map((option) => `  ${option.help}`)
  .join("\n")}

Exit codes: 0 nothing is unknown any more; 3 some texts are still unknown; 2 a usage error.
`;

export async function runSettle(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const values = parseLogArgs("settle", argv, settleOptions);
  if (values.help) {
    io.stdout.write(settleHelp);
    return ExitCode.ok;
  }
  const windowMs = values.window === undefined ? undefined : parseDuration(values.window as string, "--window");
  const context = await openLogContext(values, io);
  try {
    const result = await settleUnknowns(context.ledger, context.client, {
      filter: context.filter,
      windowMs,
      inFlightGraceMs: values["include-recent"] ? 0 : undefined,
      read: { signal: io.stop },
    });
    const resend = resendCommands(result, context);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(settleDocument(result, resend), null, 2)}\n`);
    } else {
      io.stdout.write(settleReport(result, resend));
    }
    return result.stillUnknown.length > 0 ? ExitCode.unknown : ExitCode.ok;
  } finally {
    await context.ledger.close();
  }
}

const line = (entry: TextEntry) => `  ${entry.phone}${entry.name ? ` ${entry.name}` : ""}`;

function settleReport(result: SettleResult, resend: string[]): string {
  const out: string[] = [];
  out.push(`Settled from IP1's log: ${result.settled.length} text(s).`);
  for (const { entry, state, ip1 } of result.settled) out.push(`${line(entry)}: ${state}, IP1 ID ${ip1.id}`);
  if (result.skipped.length > 0) {
    out.push(
      `Left alone: ${result.skipped.length} text(s) claimed in the last 2 minutes (a send may still be running;`,
    );
    out.push("  run again later, or with --include-recent if none is).");
  }
  out.push(`Still unknown: ${result.stillUnknown.length} text(s).`);
  for (const { entry, note } of result.stillUnknown) out.push(`${line(entry)}: ${note}`);
  if (resend.length > 0) {
    out.push("");
    out.push("Absence from IP1's log is not proof that a text was not sent. To text them again anyway (they may then");
    out.push("get it twice), run with MESSAGE set to the same survey text as before:");
    for (const command of resend) out.push(`  ${command}`);
  }
  return `${out.join("\n")}\n`;
}

function settleDocument(result: SettleResult, resend: string[]) {
  return {
    ok: result.stillUnknown.length === 0,
    settled: result.settled.map(({ entry, state, ip1 }) => ({ phone: entry.phone, nki: entry.nki, state, ip1 })),
    stillUnknown: result.stillUnknown.map(({ entry, note }) => ({ phone: entry.phone, nki: entry.nki, note })),
    skipped: result.skipped.map((entry) => ({ phone: entry.phone, nki: entry.nki })),
    resend,
  };
}

/**
 * One `ip1-nki send … --force` per NKI, round, sender and message, naming each still-unknown recipient. The ledger
 * keeps the message's sha256, not its text, so the command reads it from $MESSAGE.
 */
function resendCommands(result: SettleResult, context: LogContext): string[] {
  const groups = new Map<string, TextEntry[]>();
  for (const { entry } of result.stillUnknown) {
    const key = JSON.stringify([entry.nki, entry.round, entry.from, entry.messageHash]);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((entries) => {
    const [first] = entries as [TextEntry];
    const words = [
      "ip1-nki",
      "send",
      ...(context.ledgerSpec ? ["--ledger", shellWord(context.ledgerSpec)] : []),
      "--nki",
      String(first.nki),
      "--round",
      shellWord(first.round),
      "--from",
      shellWord(first.from),
      "--message",
      '"$MESSAGE"',
      "--force",
      ...entries.flatMap((entry) => ["--to", shellWord(toPart(entry))]),
    ];
    return words.join(" ");
  });
}

/** `PHONE,FIRSTNAME[,LASTNAME]` from the ledger's name ("First Last"). */
function toPart(entry: TextEntry): string {
  const [firstName = entry.phone, ...rest] = (entry.name ?? "").split(" ").filter(Boolean);
  return [entry.phone, firstName, ...(rest.length ? [rest.join(" ")] : [])].join(",");
}
