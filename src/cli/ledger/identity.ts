// The recipients' hash, chunk by chunk: the sending pass checks it reads what the validating pass checked, and
// `ledger import` checks that a CSV is the one a 0.2.0 journal's send had (its header holds this hash).
import { createHash } from "node:crypto";

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
