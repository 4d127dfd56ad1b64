// Decides what a run sends: every chunk for a new run; for --resume, only the chunks that never went out (never
// attempted, or refused by IP1 so certainly not sent), and the unknown ones only with --force (they may already have
// texted people).
import { CliError } from "./cli-error.js";
import { type ChunkState, chunkStates, type JobIdentity, type JournalContents } from "./journal.js";

export interface SendPlan {
  /** Chunks to send now, ascending. */
  send: number[];
  /** Chunks already sent: never sent again. */
  done: number[];
  /** Chunks IP1 refused last time (nothing was sent), sent again now. */
  retried: number[];
  /** Chunks whose outcome is unknown and that are held back (no --force). */
  held: number[];
  /** Unknown chunks sent again because of --force. */
  forced: number[];
}

export function chunkCount(recipients: number, chunkSize: number): number {
  return Math.ceil(recipients / chunkSize);
}

export function planNewRun(chunks: number): SendPlan {
  return { send: Array.from({ length: chunks }, (_, chunk) => chunk), done: [], retried: [], held: [], forced: [] };
}

export function planResume(journal: JournalContents, job: JobIdentity, force: boolean, journalPath: string): SendPlan {
  assertSameJob(journal, job, journalPath);
  const states = chunkStates(journal.records);
  const plan: SendPlan = { send: [], done: [], retried: [], held: [], forced: [] };
  for (let chunk = 0; chunk < journal.header.chunks; chunk++) {
    const state: ChunkState | undefined = states.get(chunk)?.state;
    if (state === undefined) plan.send.push(chunk);
    else if (state === "sent") plan.done.push(chunk);
    else if (state === "failed") {
      plan.retried.push(chunk);
      plan.send.push(chunk);
    } else if (force) {
      plan.forced.push(chunk);
      plan.send.push(chunk);
    } else plan.held.push(chunk);
  }
  return plan;
}

const identityLabels: Record<keyof JobIdentity, string> = {
  nki: "--nki",
  from: "--from",
  messageSha256: "--message (its SHA-256)",
  email: "--email",
  inputSha256: "the recipients (the file's SHA-256, or the --to list)",
  recipients: "the number of recipients (did --skip-invalid differ?)",
  chunkSize: "--chunk-size",
};

function assertSameJob(journal: JournalContents, job: JobIdentity, journalPath: string) {
  const differences = (Object.keys(identityLabels) as (keyof JobIdentity)[])
    .filter((key) => journal.header[key] !== job[key])
    .map(
      (key) =>
        `${identityLabels[key]}: the journal has ${JSON.stringify(journal.header[key])}, this run ${JSON.stringify(job[key])}`,
    );
  if (differences.length > 0) {
    throw new CliError(
      `${journalPath}: refusing to resume: this is not the job the journal records. Run it with the same options and input.`,
      undefined,
      differences,
    );
  }
}
