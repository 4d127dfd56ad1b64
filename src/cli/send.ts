// `ip1-nki send`: validate every recipient (first pass), read them again as validated (second pass), then send them
// through the library's bulk send with the ledger. The ledger keys each text by the person (target, NKI, round,
// phone), claims each chunk's recipients just before its request and records their outcomes; the rules for a chunk's
// outcome and for when a run stops live in the library (src/bulk.ts), not here. Running the same command again is the
// resume: whoever the ledger holds as sent, in flight or unknown is refused, the others are sent.
import { type Stats, statSync } from "node:fs";
import {
  estimateSegments,
  Ip1LedgerError,
  Ip1ValidationError,
  isPostgresUrl,
  type Ledger,
  type NkiUser,
  type TextState,
} from "../index.js";
import type { SendOptions } from "./args.js";
import { CliError } from "./cli-error.js";
import { type Connection, prepareConnection } from "./connection.js";
import { ExitCode } from "./exit-codes.js";
import { openCliLedger } from "./ledger-command.js";
import { type Estimate, type Output, priceTotal } from "./output.js";
import { createProgress, type TextSink } from "./progress.js";
import { eachRecipient, envelopeOf, envelopeProblems, scanRecipients } from "./recipients.js";
import { type LedgerHeld, SendTally } from "./send-report.js";

/** The process around a run: injected, so tests run the CLI in-process. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where IP1_ACCOUNT, IP1_API_KEY, IP1_TOKEN, IP1_BASE_URL, IP1_NKI_LEDGER and XDG_STATE_HOME are read from. */
  env: Record<string, string | undefined>;
  /** Relative paths (--users, --ledger) are resolved against this. */
  cwd: string;
  /** Once aborted, no new chunk starts; chunks in flight finish and are recorded (Ctrl-C, SIGTERM, SIGHUP). */
  stop?: AbortSignal;
  /** Filled in as the run goes (the bin reads it to report truthfully on a second Ctrl-C). Default: a fresh one. */
  state?: RunState;
}

/** What the run has done so far, for the exit code of an error and for a report printed before the run ends. */
export interface RunState {
  /** Once a chunk was handed to the library to claim and send: from then on, nothing is "nothing sent". */
  requestSent: boolean;
  /** Prints the report of what is known now (chunks in flight count as in flight) and returns its exit code. */
  reportNow?: () => ExitCode;
}

export async function runSend(options: SendOptions, io: CliIo, output: Output, state: RunState): Promise<ExitCode> {
  const envelope = envelopeOf(options);
  const optionProblems = envelopeProblems(options.nki, envelope);
  const scan = await scanRecipients(options, io.cwd);
  const blocking = [
    ...optionProblems,
    ...(options.skipInvalid ? [] : scan.invalid),
    ...(options.skipDuplicates ? [] : scan.duplicates),
  ];
  if (blocking.length > 0) {
    output.invalid(blocking, {
      invalid: options.skipInvalid ? 0 : scan.invalidCount,
      duplicates: options.skipDuplicates ? 0 : scan.duplicates.length,
      options: optionProblems.length,
    });
    return ExitCode.usage;
  }
  const skipped = [...scan.invalid, ...scan.duplicates];
  if (scan.count === 0) throw new CliError(`No valid recipients in ${scan.input}: nothing to send.`);
  const estimate = estimateFor(options, scan.count);
  if (options.dryRun) {
    output.dryRun(estimate, scan.input, skipped);
    return ExitCode.ok;
  }

  const prepared = prepareConnection(options, io.env);
  // The second pass reads what the first validated; a file changed in between sends nobody.
  const users: NkiUser[] = [];
  const lines: (number | undefined)[] = [];
  await eachRecipient(
    options,
    io.cwd,
    scan,
    (recipient) => {
      users.push(recipient.user);
      lines.push(recipient.line);
    },
    (chunk, same) => {
      if (!same) {
        throw new CliError(`${scan.input} changed after it was checked (from chunk ${chunk} on): nothing was sent.`);
      }
    },
  );

  const ledger = await openCliLedger(options.ledger, io);
  const ledgerFile = fileIdentity(ledger.location);
  let connection: Connection | undefined;
  try {
    const heldBefore = await heldInLedger(ledger, prepared.ledgerTarget, options, users);
    connection = await prepared.connect();
    const tally = new SendTally({
      ledger: ledger.location,
      target: connection.target,
      ledgerTarget: prepared.ledgerTarget,
      nki: options.nki,
      round: options.round,
      input: scan.input,
      users,
      lines,
      chunkSize: options.chunkSize,
      heldBefore,
    });
    output.starting({
      estimate,
      input: scan.input,
      skipped,
      ledger: ledger.location,
      target: connection.target,
      nki: options.nki,
      round: options.round,
      heldBefore,
      sendAgain: options.sendAgain,
      force: options.force,
    });
    const report = () => {
      const summary = tally.report();
      output.sent({ estimate, skipped, report: summary });
      return summary.exitCode;
    };
    state.reportNow = () => report();
    const progress = createProgress(io.stderr, users.length, Math.ceil(users.length / options.chunkSize));
    let result: Awaited<ReturnType<Connection["client"]["sendNkiBulk"]>>;
    try {
      result = await connection.client.sendNkiBulk(
        options.nki,
        { ...envelope, Users: users },
        {
          ledger,
          ledgerTarget: prepared.ledgerTarget,
          round: options.round,
          sendAgain: options.sendAgain,
          forceUnknown: options.force,
          lineOf: (index) => lines[index],
          chunkSize: options.chunkSize,
          concurrency: options.concurrency,
          keepMessages: false,
          // A stop (Ctrl-C, SIGTERM, SIGHUP) starts no new chunk; the ones in flight finish and are recorded. Not
          // passed as `signal`, which would abort the requests in flight and leave their outcome unknown.
          include: (index) => {
            if (io.stop?.aborted) return false;
            state.requestSent = true;
            tally.started(index);
            return true;
          },
          // The library records each outcome in the ledger before calling this; a failing stderr changes nothing.
          onProgress: ({ chunk, chunksDone }) => {
            tally.finished(chunk);
            try {
              progress.update(tally.done, chunksDone);
            } catch {
              // A progress bar that cannot be drawn is not worth an outcome.
            }
          },
        },
      );
    } catch (error) {
      if (error instanceof Ip1ValidationError) {
        // Found before any claim or request (an oversized chunk, say): nothing was sent.
        throw new CliError(
          "The send was refused before any request: nothing was sent.",
          ExitCode.usage,
          error.problems.map((problem) => `${problem.path}: ${problem.message}`),
        );
      }
      throw error;
    } finally {
      try {
        progress.done();
      } catch {
        // as above
      }
    }
    tally.ended(result);
    await tally.refreshHeldInFlight(ledger);
    const ledgerGone = ledgerFileChanged(ledger, ledgerFile);
    if (ledgerGone) tally.note(ledgerGone);
    state.reportNow = undefined;
    // A ledger that could take no claim at all sent nothing: an environment error, not a report.
    const firstClaim = result.chunks.find((chunk) => chunk?.error instanceof Ip1LedgerError);
    if (firstClaim && tally.nothingClaimed()) {
      throw new CliError(`${firstClaim.error?.message ?? "The ledger failed"} Nothing was sent.`);
    }
    return report();
  } finally {
    await connection?.close();
    await ledger.close().catch(() => {});
  }
}

/** Who of `users` the ledger holds already (as sent, in flight or unknown), by phone: for the first lines. */
async function heldInLedger(
  ledger: Ledger,
  target: string,
  options: SendOptions,
  users: readonly NkiUser[],
): Promise<LedgerHeld> {
  const phones = new Set(users.map((user) => user.Phone));
  const held: LedgerHeld = { sent: [], unknown: [] };
  const states: TextState[] = ["sent", "in-flight", "unknown"];
  for await (const entry of ledger.list({ target, nki: options.nki, round: options.round, state: states })) {
    if (!phones.has(entry.phone)) continue;
    (entry.state === "sent" ? held.sent : held.unknown).push(entry);
  }
  return held;
}

/** The SQLite ledger file's identity (device and inode), to tell at the end whether the path still names it. */
function fileIdentity(location: string): Stats | undefined {
  if (isPostgresUrl(location)) return undefined;
  try {
    return statSync(location);
  } catch {
    return undefined;
  }
}

/**
 * An SQLite ledger deleted or replaced during the run (a cleanup script, an editor's save) took this run's records
 * with it, or hides them behind another file: said in the report, so the operator restores it before any other send.
 */
function ledgerFileChanged(ledger: Ledger, opened: Stats | undefined): string | undefined {
  if (!opened) return undefined;
  const now = fileIdentity(ledger.location);
  if (now && now.ino === opened.ino && now.dev === opened.dev) return undefined;
  return (
    `The ledger ${ledger.location} was ${now ? "replaced by another file" : "deleted"} during this run: what this ` +
    "run recorded is not in the file at that path. Restore the file from a backup before sending again, or the next " +
    "run will not know whom this one texted."
  );
}

function estimateFor(options: SendOptions, recipients: number): Estimate {
  const { encoding, segments, units } = estimateSegments(options.message);
  const totalSegments = recipients * segments;
  return {
    recipients,
    encoding,
    units,
    segmentsPerMessage: segments,
    totalSegments,
    ...(options.price ? { price: priceTotal(totalSegments, options.price) } : {}),
  };
}
