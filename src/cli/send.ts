// `ip1-nki send`: validate every recipient (first pass), find or start the job's journal under its lock, then send the
// planned chunks as the recipients stream by again (second pass), each chunk's attempt durable before its request.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { estimateSegments, Ip1BadRequestError, type Ip1Client, Ip1Error } from "../index.js";
import type { SendOptions } from "./args.js";
import { CliError } from "./cli-error.js";
import { type Connection, prepareConnection } from "./connection.js";
import { ExitCode } from "./exit-codes.js";
import { defaultJournalPath, identityDifferences, type JobIdentity, jobId } from "./ledger/identity.js";
import { discardAbandonedJournal, Journal, LineWriteError, readJournal } from "./ledger/journal.js";
import { JournalLock } from "./ledger/lock.js";
import { chunkCount, planEverything, planResume, type SendPlan } from "./ledger/plan.js";
import { reconcile } from "./ledger/reconcile.js";
import { type ChunkSpan, JOURNAL_VERSION, type OutcomeRecord, type RunRecord, toRanges } from "./ledger/records.js";
import { exitCodeOf, reportJob } from "./ledger/report.js";
import { type Estimate, type Output, priceTotal } from "./output.js";
import { createProgress, type TextSink } from "./progress.js";
import {
  eachRecipient,
  envelopeOf,
  envelopeProblems,
  type Recipient,
  type ScannedRecipients,
  scanRecipients,
} from "./recipients.js";

/** The process around a run: injected, so tests run the CLI in-process. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where IP1_ACCOUNT, IP1_API_KEY, IP1_TOKEN and IP1_BASE_URL are read from. */
  env: Record<string, string | undefined>;
  /** Relative paths (--users, --journal) are resolved against this, and the default journal goes here. */
  cwd: string;
  /** Once aborted, no new chunk starts; chunks in flight finish and are journaled (Ctrl-C in the bin). */
  stop?: AbortSignal;
  /** The clock for the journal's timestamps. */
  now?: () => Date;
  /** Filled in as the run goes (the bin reads it to exit truthfully on a second Ctrl-C). Default: a fresh one. */
  state?: RunState;
}

/** What the run has done so far, for the exit code of an error: once a request went out, nothing is "nothing sent". */
export interface RunState {
  requestSent: boolean;
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
    output.dryRun(estimate, scan.input, skipped, { message: options.message, format: scan.format });
    return ExitCode.ok;
  }

  const prepared = prepareConnection(options, io.env);
  const now = io.now ?? (() => new Date());
  const identity: JobIdentity = {
    nki: options.nki,
    from: options.from,
    messageSha256: createHash("sha256").update(options.message).digest("hex"),
    email: options.email,
    recipientsSha256: scan.recipientsSha256,
    recipients: scan.count,
    chunkSize: options.chunkSize,
    target: prepared.target,
  };
  const path = options.journal ? resolve(io.cwd, options.journal) : defaultJournalPath(io.cwd, identity);
  const lock = JournalLock.acquire(path, now());
  try {
    const { journal, plan, mode } = openJob(options, path, identity, scan.input, now);
    let connection: Connection | undefined;
    try {
      connection = plan.send.length > 0 ? await prepared.connect() : undefined;
      const notes: string[] = [];
      const journalErrors: string[] = [];
      if (journal.repaired) {
        const { kind, droppedBytes, unknownChunks } = journal.repaired;
        notes.push(
          `The journal ended in a damaged tail (${kind}, ${droppedBytes} bytes); it was cut off and recorded` +
            (unknownChunks.length ? `, and chunk ${unknownChunks.join(", ")} counts as unknown.` : "."),
        );
      }
      const summary = {
        estimate,
        input: scan.input,
        skipped,
        journal: path,
        job: jobId(identity),
        target: connection?.target,
        plan,
      };
      output.starting(summary);
      if (connection) {
        const run: RunRecord = {
          type: "run",
          mode,
          force: options.force,
          send: toRanges(plan.send),
          pid: process.pid,
          url: connection.url,
          at: now().toISOString(),
        };
        try {
          journal.append(run);
          const client = connection.client;
          await sendPlanned({ client, options, io, scan, journal, plan, now, state, notes, journalErrors });
        } catch (error) {
          if (!(error instanceof LineWriteError)) throw error;
          journalErrors.push(error.message);
        }
        // A journal that could not take even the first attempt line: an environment error, and nothing went out.
        if (journalErrors.length > 0 && !state.requestSent)
          throw new CliError(`${journalErrors[0]}; nothing was sent.`);
        notes.push(...journalErrors);
      }
      const report = reportJob(journal.contents);
      const exitCode = exitCodeOf(report);
      output.sent({ ...summary, report, exitCode, notes });
      return exitCode;
    } finally {
      journal.close();
      await connection?.close();
    }
  } finally {
    lock.release();
  }
}

/** Finds the job's journal, or starts it; refuses to send a job again on its own. Called with the lock held. */
function openJob(
  options: SendOptions,
  path: string,
  identity: JobIdentity,
  input: string,
  now: () => Date,
): { journal: Journal; plan: SendPlan; mode: RunRecord["mode"] } {
  const chunks = chunkCount(identity.recipients, identity.chunkSize);
  const abandoned = discardAbandonedJournal(path);
  if (!existsSync(path)) {
    if (options.resume && !abandoned) {
      throw new CliError(
        `${path}: there is no journal of this job to resume, so nothing of it was sent from this directory. ` +
          "Run without --resume to send it (or name its journal with --journal if it is elsewhere).",
      );
    }
    const journal = Journal.create(path, {
      type: "job",
      version: JOURNAL_VERSION,
      id: jobId(identity),
      ...identity,
      input,
      chunks,
      createdAt: now().toISOString(),
    });
    return { journal, plan: planEverything(chunks), mode: "new" };
  }
  if (!options.resume && !options.sendAgain) {
    const found = readJournal(path);
    const differences = identityDifferences(found.header, identity);
    if (differences.length > 0) {
      throw new CliError(
        `${path}: a journal of another job is there; choose another --journal.`,
        ExitCode.usage,
        differences,
      );
    }
    const { recipients } = reportJob(found);
    throw new CliError(
      `${path}: this job has a journal already, so it was sent (or started) before. Nothing was sent now.`,
      ExitCode.usage,
      [
        `It holds: ${recipients.sent} sent, ${recipients.failed} failed, ${recipients.noRecord} without a record, ` +
          `${recipients.refused} refused, ${recipients.unknown} unknown, ${recipients.notSent} not sent, of ${recipients.total} recipients.`,
        "Add --resume to send only what never went out, or --send-again to text every recipient a second time.",
      ],
    );
  }
  const journal = Journal.open(path, now());
  const differences = identityDifferences(journal.contents.header, identity);
  if (differences.length > 0) {
    journal.close();
    throw new CliError(
      `${path}: refusing to ${options.resume ? "resume" : "send again"}: this is not the job the journal records. ` +
        "Run it with the same options, input and target.",
      ExitCode.usage,
      differences,
    );
  }
  return options.sendAgain
    ? { journal, plan: planEverything(chunks), mode: "again" }
    : { journal, plan: planResume(journal.contents, options.force), mode: "resume" };
}

interface Sending {
  client: Ip1Client;
  options: SendOptions;
  io: CliIo;
  scan: ScannedRecipients;
  journal: Journal;
  plan: SendPlan;
  now: () => Date;
  state: RunState;
  notes: string[];
  /** Journal writes that failed (each stopped the sending). */
  journalErrors: string[];
}

/** Thrown into the reader to stop it once nothing more will be sent. */
const stopReading = new Error("stop reading");

async function sendPlanned(sending: Sending) {
  const { client, options, io, scan, journal, plan, now, state, notes, journalErrors } = sending;
  const planned = new Set(plan.send);
  const last = plan.send.at(-1) ?? -1;
  const sizeOf = (chunk: number) => Math.min(options.chunkSize, scan.count - chunk * options.chunkSize);
  const progress = createProgress(
    io.stderr,
    plan.send.reduce((sum, chunk) => sum + sizeOf(chunk), 0),
    plan.send.length,
  );
  const envelope = envelopeOf(options);
  const queue: { chunk: number; recipients: Recipient[] }[] = [];
  let inFlight = 0;
  let stopped = false;
  let unexpected: unknown;
  let recipientsDone = 0;
  let chunksDone = 0;
  let current: Recipient[] = [];
  let lastQueued: number | undefined;
  let onIdle: (() => void) | undefined;
  const busy = () => queue.length + inFlight >= options.concurrency;

  const sendChunk = async (chunk: number, recipients: Recipient[]) => {
    if (stopped || io.stop?.aborted) return; // never attempted: a resume sends it
    const span = spanOf(chunk, options.chunkSize, recipients);
    try {
      journal.append({ type: "attempt", ...span, at: now().toISOString() });
    } catch (error) {
      stopped = true;
      if (!(error instanceof LineWriteError)) throw error;
      journalErrors.push(`${error.message}: chunk ${chunk} was not sent, nor any chunk after it`);
      return;
    }
    state.requestSent = true;
    let outcome: OutcomeRecord;
    try {
      const messages = await client.sendNki(options.nki, { ...envelope, Users: recipients.map((r) => r.user) });
      const matched = reconcile(
        recipients.map(({ user, line }) => (line === undefined ? { phone: user.Phone } : { phone: user.Phone, line })),
        messages,
      );
      outcome = { type: "chunk", ...span, outcome: "sent", ...withoutEmpty(matched), at: now().toISOString() };
    } catch (error) {
      // A 400 concerns this chunk's users; anything else (auth, credits, a failing server) would hit every chunk.
      if (!(error instanceof Ip1BadRequestError)) stopped = true;
      outcome = {
        type: "chunk",
        ...span,
        outcome: error instanceof Ip1Error && error.outcome === "not-sent" ? "failed" : "unknown",
        error: errorOf(error),
        at: now().toISOString(),
      };
    }
    try {
      journal.append(outcome);
    } catch (error) {
      stopped = true;
      if (!(error instanceof LineWriteError)) throw error;
      journalErrors.push(
        `${error.message}: chunk ${chunk} was ${outcome.outcome === "sent" ? "sent (IP1 answered 200)" : outcome.outcome}, ` +
          "but that is not recorded, so the journal counts it as unknown. No chunk after it was sent.",
      );
    }
    recipientsDone += span.count;
    progress.update(recipientsDone, ++chunksDone);
  };

  const pump = () => {
    while (inFlight < options.concurrency && queue.length > 0) {
      const next = queue.shift() as (typeof queue)[number];
      inFlight++;
      sendChunk(next.chunk, next.recipients)
        .catch((error: unknown) => {
          stopped = true;
          unexpected ??= error;
        })
        .finally(() => {
          inFlight--;
          pump();
          if (!busy()) onIdle?.();
        });
    }
  };

  try {
    await eachRecipient(
      options,
      io.cwd,
      scan,
      (recipient) => current.push(recipient),
      (chunk, same) => {
        const recipients = current;
        current = [];
        if (!same && !stopped) {
          stopped = true;
          notes.push(`${scan.input} changed after it was checked: chunk ${chunk} and the rest were not sent.`);
        }
        if (planned.has(chunk) && !stopped) {
          queue.push({ chunk, recipients });
          lastQueued = chunk;
          pump();
        }
      },
      // Reading waits while the senders are busy, and stops once nothing more will be sent.
      () => {
        if (stopped || io.stop?.aborted || lastQueued === last) {
          return Promise.reject(stopReading);
        }
        if (!busy()) return undefined;
        return new Promise<void>((resolve) => {
          onIdle = resolve;
        });
      },
    );
  } catch (error) {
    if (error !== stopReading && !stopped) throw error;
  } finally {
    while (inFlight > 0 || queue.length > 0) {
      await new Promise<void>((resolve) => {
        onIdle = resolve;
        if (inFlight === 0 && queue.length === 0) resolve();
      });
    }
    progress.done();
  }
  if (unexpected !== undefined) throw unexpected;
}

function withoutEmpty<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => !(Array.isArray(item) && item.length === 0)),
  ) as Partial<T>;
}

function errorOf(error: unknown): OutcomeRecord["error"] {
  const status = (error as { status?: unknown }).status;
  return {
    name: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
    ...(typeof status === "number" ? { status } : {}),
  };
}

function spanOf(chunk: number, chunkSize: number, recipients: readonly Recipient[]): ChunkSpan {
  const span: ChunkSpan = { chunk, first: chunk * chunkSize, count: recipients.length };
  const firstLine = recipients[0]?.line;
  const lastLine = recipients.at(-1)?.line;
  if (firstLine !== undefined && lastLine !== undefined) span.lines = [firstLine, lastLine];
  return span;
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
