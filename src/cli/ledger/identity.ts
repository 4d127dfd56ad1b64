// A job's identity is what it sends: the NKI, sender, message and email flag, the recipients after normalization (in
// order), the chunk size and the target. Its hash names the job, and the journal's default place is derived from it,
// so running the same command again finds the journal of the first run.
import { createHash } from "node:crypto";
import { join } from "node:path";

/** Where a job's requests go: an API origin, or "mock" (whatever port the embedded mock had). */
export type JobTarget = { mock: false; origin: string } | { mock: true };

export interface JobIdentity {
  nki: number;
  from: string;
  /** SHA-256 of the message text. */
  messageSha256: string;
  email: boolean;
  /** SHA-256 over the normalized recipients as sent, one chunk hash after another (see RecipientsHash). */
  recipientsSha256: string;
  /** Recipients in the job (after --skip-invalid and --skip-duplicates). */
  recipients: number;
  chunkSize: number;
  target: JobTarget;
}

/** The job's id: a hash of its identity (64 hex digits). */
export function jobId(identity: JobIdentity): string {
  const { nki, from, messageSha256, email, recipientsSha256, recipients, chunkSize, target } = identity;
  const canonical = [nki, from, messageSha256, email, recipientsSha256, recipients, chunkSize, targetLabel(target)];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/** Where a job's journal goes unless --journal says otherwise: the working directory, named by the job's id. */
export function defaultJournalPath(cwd: string, identity: JobIdentity): string {
  return join(cwd, `ip1-nki-job-${jobId(identity).slice(0, 16)}.jsonl`);
}

export function targetLabel(target: JobTarget): string {
  return target.mock ? "the embedded mock" : target.origin;
}

const labels: Record<keyof JobIdentity, string> = {
  nki: "--nki",
  from: "--from",
  messageSha256: "--message (its SHA-256)",
  email: "--email",
  recipientsSha256: "the recipients after normalization (their SHA-256)",
  recipients: "the number of recipients (did --skip-invalid or --skip-duplicates differ?)",
  chunkSize: "--chunk-size",
  target: "the target",
};

/** How `journal` and `job` differ, one line per field; empty for the same job. */
export function identityDifferences(journal: JobIdentity, job: JobIdentity): string[] {
  return (Object.keys(labels) as (keyof JobIdentity)[])
    .filter((key) => JSON.stringify(journal[key]) !== JSON.stringify(job[key]))
    .map((key) => {
      const show = (identity: JobIdentity) =>
        key === "target" ? targetLabel(identity.target) : JSON.stringify(identity[key]);
      return `${labels[key]}: the journal has ${show(journal)}, this run ${show(job)}`;
    });
}

/** Hashes recipients chunk by chunk: each chunk's own hash lets the sending pass check it reads what was validated. */
export class RecipientsHash {
  readonly #all = createHash("sha256");
  #chunk = createHash("sha256");

  add(recipient: object): void {
    this.#chunk.update(`${JSON.stringify(recipient)}\n`);
  }

  /** Ends the current chunk and returns its hash. */
  endChunk(): string {
    const digest = this.#chunk.digest("hex");
    this.#all.update(digest);
    this.#chunk = createHash("sha256");
    return digest;
  }

  /** The hash of every chunk ended so far. */
  digest(): string {
    return this.#all.digest("hex");
  }
}
