// Hashes lines chunk by chunk. The job's hash is over the recipients as sent (`ledger import` checks that a CSV is
// the one a 0.2.0 journal's send had: its header holds this hash); the sending pass checks each chunk it reads
// against the digest the validating pass made of the same rows (see SentRows).
import { createHash } from "node:crypto";

/** Hashes lines chunk by chunk: each chunk's own digest, and one over them all. */
export class RecipientsHash {
  readonly #all = createHash("sha256");
  /** The chunk's lines so far: hashed once at its end, not one native call per recipient. */
  #chunk = "";

  /** Adds one recipient's line (for the job's hash: its JSON as sent). */
  add(line: string): void {
    this.#chunk += `${line}\n`;
  }

  /** Ends the current chunk and returns its hash. */
  endChunk(): string {
    const digest = createHash("sha256").update(this.#chunk).digest("hex");
    this.#all.update(digest);
    this.#chunk = "";
    return digest;
  }

  /** The hash of every chunk ended so far. */
  digest(): string {
    return this.#all.digest("hex");
  }
}
