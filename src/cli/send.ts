// `ip1-nki send`: validate every recipient and size every chunk (first pass), then read them again as validated
// (second pass) and send them, a window of chunks at a time, through the library's bulk send with the ledger, so
// memory does not grow with the input. The ledger keys each text by the person (target, NKI, round,
// phone), claims each chunk's recipients just before its request and records their outcomes; the rules for a chunk's
// outcome and for when a run stops live in the library (src/bulk.ts), not here. Running the same command again is the
// resume: whoever the ledger holds as sent, in flight or unknown is refused, the others are sent.
import { type Stats, statSync } from "node:fs";
import {
  estimateSegments,
  Ip1LedgerError,
  isPostgresUrl,
  type Ledger,
  MEMORY_LEDGER,
  openLedger,
  type TextState,
} from "../index.js";
import type { SendOptions } from "./args.js";
import { CliError } from "./cli-error.js";
import { type Connection, prepareConnection } from "./connection.js";
import { ExitCode } from "./exit-codes.js";
import type { CommandIo } from "./io.js";
import { openCliLedger } from "./ledger-command.js";
import { type Estimate, type Output, priceTotal } from "./output.js";
import { createProgress } from "./progress.js";
import {
  eachRecipient,
  envelopeOf,
  envelopeProblems,
  InputChangedError,
  type ScannedRecipients,
  scanRecipients,
} from "./recipients.js";
import { type LedgerHeld, SendTally, type Window } from "./send-report.js";
import { TextSpill } from "./text-spill.js";

/** The process around a run: injected, so tests run the CLI in-process. */
export interface CliIo extends CommandIo {
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
    ...scan.oversized,
    ...(options.skipInvalid ? [] : scan.invalid),
    ...(options.skipDuplicates ? [] : scan.duplicates),
  ];
  if (blocking.length > 0) {
    output.invalid(blocking, {
      invalid: options.skipInvalid ? 0 : scan.invalidCount,
      duplicates: options.skipDuplicates ? 0 : scan.duplicates.length,
      options: optionProblems.length + scan.oversized.length,
    });
    return ExitCode.usage;
  }
  const skipped = [...scan.invalid, ...scan.duplicates];
  if (scan.count === 0) throw new CliError(`No valid recipients in ${scan.input}: nothing to send.`);
  const estimate = estimateFor(options, scan.count);
  if (options.dryRun) {
    output.dryRun(estimate, scan.input, skipped, { message: options.message, format: scan.format });
    return ExitCode.ok;
  }

  const prepared = prepareConnection(options, io.env);
  // The second pass reads what the first validated, window by window (a file changed in between sends nobody more).
  // The ledger of the in-process simulator forgets its texts when the run ends, as the simulator does (unless one is
  // named): mock texts never mix with real ones, and --mock needs no SQLite driver.
  const ledger = await openCliLedger(options.ledger ?? (options.mock ? MEMORY_LEDGER : undefined), io);
  const ledgerFile = fileIdentity(ledger.location);
  const spill = options.json ? new TextSpill() : undefined;
  let connection: Connection | undefined;
  try {
    const heldBefore = await heldInLedger(ledger, prepared.ledgerTarget, options, scan);
    connection = await prepared.connect();
    const client = connection.client;
    const tally = new SendTally({
      ledger: ledger.location,
      target: connection.target,
      ledgerTarget: prepared.ledgerTarget,
      nki: options.nki,
      round: options.round,
      input: scan.input,
      total: scan.count,
      chunkSize: options.chunkSize,
      heldBefore,
      spill,
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
      return { exitCode: summary.exitCode, written: output.sent({ estimate, skipped, report: summary }) };
    };
    state.reportNow = () => report().exitCode;
    const progress = createProgress(io.stderr, scan.count, Math.ceil(scan.count / options.chunkSize));
    let stopped = false;
    let ledgerFailure: Ip1LedgerError | undefined;
    const sendWindow = async (window: Window) => {
      tally.sending(window);
      const firstChunk = window.start / options.chunkSize;
      const result = await client.sendNkiBulk(
        options.nki,
        { ...envelope, Users: window.users },
        {
          ledger,
          ledgerTarget: prepared.ledgerTarget,
          round: options.round,
          sendAgain: options.sendAgain,
          forceUnknown: options.force,
          lineOf: (index) => window.lines[index],
          chunkSize: options.chunkSize,
          concurrency: options.concurrency,
          keepMessages: false,
          // A stop (Ctrl-C, SIGTERM, SIGHUP), or a window that stopped the run, starts no new chunk; the ones in
          // flight finish and are recorded. Not passed as `signal`, which would abort the requests in flight and
          // leave their outcome unknown.
          include: (index) => {
            if (stopped || io.stop?.aborted) return false;
            state.requestSent = true;
            tally.started(firstChunk + index);
            return true;
          },
          // The library records each outcome in the ledger before calling this; a failing stderr changes nothing.
          onProgress: ({ chunk }) => {
            tally.finished(chunk);
            try {
              progress.update(tally.done, Math.ceil(tally.done / options.chunkSize));
            } catch {
              // A progress bar that cannot be drawn is not worth an outcome.
            }
          },
        },
      );
      tally.ended(result);
      if (result.stopped) stopped = true;
      ledgerFailure ??= result.chunks.find((chunk) => chunk?.error instanceof Ip1LedgerError)?.error as
        | Ip1LedgerError
        | undefined;
    };
    try {
      await eachWindow(options, io.cwd, scan, windowSize(options), sendWindow);
    } catch (error) {
      if (!(error instanceof InputChangedError)) throw error;
      if (!state.requestSent) throw new CliError(`${error.message}: nothing was sent.`);
      tally.note(`${error.message}: nobody from there on was sent; run the same command again to send them.`);
    } finally {
      try {
        progress.done();
      } catch {
        // as above
      }
    }
    await tally.refreshHeldInFlight(ledger);
    const ledgerGone = await ledgerFileChanged(ledger, ledgerFile, tally);
    if (ledgerGone) tally.note(ledgerGone);
    // A ledger that could take no claim at all sent nothing: an environment error, not a report.
    if (ledgerFailure && tally.nothingClaimed()) throw new CliError(`${ledgerFailure.message} Nothing was sent.`);
    const { exitCode, written } = report();
    await written;
    return exitCode;
  } finally {
    spill?.close();
    await connection?.close();
    await ledger.close().catch(() => {});
  }
}

/**
 * How many recipients are handed to the library at once: two chunks per worker, so a slow chunk overlaps its
 * neighbours' and the pause at each window's end costs little, and few enough that memory does not grow with the
 * input (four per worker peaked higher, at the same speed).
 */
function windowSize(options: SendOptions): number {
  return options.chunkSize * options.concurrency * 2;
}

/**
 * The second pass: the recipients the first pass validated, handed to `send` in windows of `size` (a whole number of
 * chunks), one window at a time; reading waits while a window is sent.
 */
async function eachWindow(
  options: SendOptions,
  cwd: string,
  scan: ScannedRecipients,
  size: number,
  send: (window: Window) => Promise<void>,
): Promise<void> {
  let window: Window = { start: 0, users: [], lines: [] };
  const full: Window[] = [];
  const sendFull = async () => {
    while (full.length) await send(full.shift() as Window);
  };
  await eachRecipient(
    options,
    cwd,
    scan,
    (recipient) => {
      window.users.push(recipient.user);
      window.lines.push(recipient.line);
      if (window.users.length === size) {
        full.push(window);
        window = { start: window.start + size, users: [], lines: [] };
      }
    },
    (chunk, same) => {
      if (!same) throw new InputChangedError(`${scan.input} changed after it was checked (from chunk ${chunk} on)`);
    },
    () => (full.length ? sendFull() : undefined),
  );
  await sendFull();
  if (window.users.length) await send(window);
}

/**
 * Who of the recipients the ledger holds already (as sent, in flight or unknown), for the first lines: those held as
 * sent are counted (a rerun of a million holds a million), their phones kept only for --send-again.
 */
async function heldInLedger(
  ledger: Ledger,
  target: string,
  options: SendOptions,
  scan: ScannedRecipients,
): Promise<LedgerHeld> {
  const held: LedgerHeld = { sent: 0, unknown: [], ...(options.sendAgain ? { sentPhones: new Set<string>() } : {}) };
  const states: TextState[] = ["sent", "in-flight", "unknown"];
  for await (const entry of ledger.list({ target, nki: options.nki, round: options.round, state: states })) {
    if (!scan.sent.includes(entry.phone)) continue;
    if (entry.state !== "sent") held.unknown.push(entry);
    else {
      held.sent++;
      held.sentPhones?.add(entry.phone);
    }
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
 * An SQLite ledger deleted or replaced during the run (a cleanup script, an editor's save) would take this run's
 * records with it, and the next run would text everyone again. This run still has the file it opened (SQLite keeps
 * the open inode): every text it holds is written back to the file now at that path, then the report says so.
 */
async function ledgerFileChanged(
  ledger: Ledger,
  opened: Stats | undefined,
  tally: SendTally,
): Promise<string | undefined> {
  if (!opened) return undefined;
  const now = fileIdentity(ledger.location);
  if (now && now.ino === opened.ino && now.dev === opened.dev) return undefined;
  const what = `The ledger ${ledger.location} was ${now ? "replaced by another file" : "deleted"} during this run`;
  try {
    const restored = await writeBack(ledger, tally);
    return (
      `${what}. The ${restored} texts of the file this run opened were written back to ${ledger.location}, so ` +
      "the next run knows whom it texted. Find out what deleted or replaced it."
    );
  } catch (error) {
    return (
      `${what}, and its texts could not be written back (${error instanceof Error ? error.message : String(error)}). ` +
      "Restore the file from a backup before sending again, or the next run will not know whom this one texted."
    );
  }
}

/**
 * Copies every text of `from` (still readable through its open inode) into the ledger now at its path, with the
 * outcomes this run knows but `from` could not record once its file was gone.
 */
async function writeBack(from: Ledger, tally: SendTally): Promise<number> {
  const to = await openLedger(from.location);
  let count = 0;
  try {
    for await (const entry of from.list()) {
      const { state, ip1, error, note, claimedAt: _c, updatedAt: _u, attempts: _a, ...claim } = entry;
      // Claimed whatever the file at the path holds for it: the run's own file is the later record.
      await to.claim([claim], { again: true, force: true });
      if (state !== "in-flight") await to.record([{ ...claim, state, ip1, error, note }]);
      count++;
    }
    await to.record(tally.outcomes());
    tally.recorded();
  } finally {
    await to.close();
  }
  return count;
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
