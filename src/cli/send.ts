// `ip1-nki send`: validate every recipient, estimate, then send in journaled chunks (or resume a journal).
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { type BulkChunkResult, estimateSegments, type Ip1Client, summarize } from "../index.js";
import type { SendOptions } from "./args.js";
import { CliError } from "./cli-error.js";
import { prepareConnection } from "./connection.js";
import { ExitCode } from "./exit-codes.js";
import {
  type ChunkSpan,
  defaultJournalName,
  type FailedRecipient,
  JOURNAL_VERSION,
  type JobIdentity,
  Journal,
  type OutcomeRecord,
} from "./journal.js";
import { type Estimate, type Output, priceTotal } from "./output.js";
import { createProgress, type TextSink } from "./progress.js";
import { envelopeOf, envelopeProblems, type Recipients, readRecipients } from "./recipients.js";
import { exitCodeOf, reportJob } from "./report.js";
import { chunkCount, planNewRun, planResume, type SendPlan } from "./resume.js";

/** The process around a run: injected, so tests run the CLI in-process. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where IP1_ACCOUNT, IP1_API_KEY, IP1_TOKEN and IP1_BASE_URL are read from. */
  env: Record<string, string | undefined>;
  /** Relative paths (--users, --journal, --resume) are resolved against this. */
  cwd: string;
  /** Once aborted, no new chunk starts; chunks in flight finish and are journaled (Ctrl-C in the bin). */
  stop?: AbortSignal;
  /** The clock for the journal's timestamps and default name. */
  now?: () => Date;
}

export async function runSend(options: SendOptions, io: CliIo, output: Output): Promise<ExitCode> {
  const envelope = envelopeOf(options);
  const optionProblems = envelopeProblems(options.nki, envelope);
  const recipients = await readRecipients(options, io.cwd);
  if (optionProblems.length > 0 || (recipients.problems.length > 0 && !options.skipInvalid)) {
    output.invalid([...optionProblems, ...recipients.problems], recipients.invalidCount, optionProblems.length === 0);
    return ExitCode.usage;
  }
  if (recipients.users.length === 0) {
    throw new CliError(`No valid recipients in ${recipients.input}: nothing to send.`);
  }
  const estimate = estimateFor(options, recipients.users.length);
  if (options.dryRun) {
    output.dryRun(estimate, recipients.input, recipients.problems);
    return ExitCode.ok;
  }

  const connect = prepareConnection(options, io.env);
  const job = jobIdentity(options, recipients);
  const now = io.now ?? (() => new Date());
  const journal = openJournal(options, io, job, now);
  try {
    const plan = options.resume
      ? planResume(journal.contents, job, options.force, journal.path)
      : planNewRun(journal.contents.header.chunks);
    if (options.resume) journal.append({ type: "resume", force: options.force, at: now().toISOString() });
    const connection = plan.send.length > 0 ? await connect() : undefined;
    try {
      const summary = {
        estimate,
        input: recipients.input,
        skipped: recipients.problems,
        journal: journal.path,
        target: connection?.target,
        plan,
      };
      output.starting(summary);
      if (connection) await sendPlanned(connection.client, options, io, recipients, journal, plan, now);
      const report = reportJob(journal.contents);
      const exitCode = exitCodeOf(report);
      output.sent({ ...summary, report, exitCode });
      return exitCode;
    } finally {
      await connection?.close();
    }
  } finally {
    journal.close();
  }
}

async function sendPlanned(
  client: Ip1Client,
  options: SendOptions,
  io: CliIo,
  recipients: Recipients,
  journal: Journal,
  plan: SendPlan,
  now: () => Date,
) {
  const toSend = new Set(plan.send);
  const total = plan.send.reduce((sum, chunk) => sum + spanOf(chunk, options.chunkSize, recipients).count, 0);
  const progress = createProgress(io.stderr, total, plan.send.length);
  let recipientsDone = 0;
  let chunksDone = 0;
  try {
    await client.sendNkiBulk(
      options.nki,
      { ...envelopeOf(options), Users: recipients.users },
      {
        chunkSize: options.chunkSize,
        concurrency: options.concurrency,
        // Called right before a chunk's request goes out, so its attempt line is on disk first: if this process dies
        // mid-request, a resume sees the attempt and treats the chunk as unknown instead of sending it again.
        include(index) {
          if (!toSend.has(index) || io.stop?.aborted) return false;
          journal.append({ type: "attempt", ...spanOf(index, options.chunkSize, recipients), at: now().toISOString() });
          return true;
        },
        onProgress({ chunk }) {
          if (chunk.outcome === "skipped") return;
          journal.append(outcomeRecord(chunk, spanOf(chunk.index, options.chunkSize, recipients), recipients, now()));
          recipientsDone += chunk.end - chunk.start;
          progress.update(recipientsDone, ++chunksDone);
        },
      },
    );
  } finally {
    progress.done();
  }
}

function outcomeRecord(chunk: BulkChunkResult, span: ChunkSpan, recipients: Recipients, at: Date): OutcomeRecord {
  const record: OutcomeRecord = {
    type: "chunk",
    ...span,
    outcome: chunk.outcome as OutcomeRecord["outcome"],
    at: at.toISOString(),
  };
  if (chunk.error) {
    const status = (chunk.error as { status?: unknown }).status;
    record.error = {
      name: chunk.error.name,
      message: chunk.error.message,
      ...(typeof status === "number" ? { status } : {}),
    };
  }
  if (chunk.messages) {
    const summary = summarize(chunk.messages);
    record.messages = {
      total: summary.total,
      delivered: summary.delivered.length,
      inTransit: summary.inTransit.length,
      failed: summary.failed.length,
      unknown: summary.unknown.length,
    };
    if (summary.failed.length > 0) {
      record.failedRecipients = summary.failed.map(
        (message): FailedRecipient => ({
          to: message.To,
          line: lineOfPhone(message.To, span, recipients),
          status: message.Status,
          description: message.StatusDescription,
        }),
      );
    }
  }
  return record;
}

/** The CSV line of the chunk's recipient with this phone number (IP1 may write it without the "+"). */
function lineOfPhone(to: string | undefined, span: ChunkSpan, recipients: Recipients): number | undefined {
  if (!to || !recipients.lines) return undefined;
  const digits = to.replace(/\D/g, "");
  for (let index = span.first; index < span.first + span.count; index++) {
    if (recipients.users[index]?.Phone.replace(/\D/g, "") === digits) return recipients.lines[index];
  }
  return undefined;
}

function spanOf(chunk: number, chunkSize: number, recipients: Recipients): ChunkSpan {
  const first = chunk * chunkSize;
  const count = Math.min(chunkSize, recipients.users.length - first);
  const span: ChunkSpan = { chunk, first, count };
  const firstLine = recipients.lines?.[first];
  const lastLine = recipients.lines?.[first + count - 1];
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

function jobIdentity(options: SendOptions, recipients: Recipients): JobIdentity {
  return {
    nki: options.nki,
    from: options.from,
    messageSha256: createHash("sha256").update(options.message).digest("hex"),
    email: options.email,
    inputSha256: recipients.inputSha256,
    recipients: recipients.users.length,
    chunkSize: options.chunkSize,
  };
}

function openJournal(options: SendOptions, io: CliIo, job: JobIdentity, now: () => Date): Journal {
  if (options.resume) return Journal.resume(resolve(io.cwd, options.resume));
  const path = resolve(io.cwd, options.journal ?? defaultJournalName(now()));
  return Journal.create(path, {
    type: "run",
    version: JOURNAL_VERSION,
    ...job,
    input: options.users ?? "--to",
    chunks: chunkCount(job.recipients, job.chunkSize),
    startedAt: now().toISOString(),
  });
}
