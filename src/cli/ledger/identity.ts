// The recipients' hash, chunk by chunk: the sending pass checks it reads what the validating pass checked, and
// `ledger import` checks that a CSV is the one a 0.2.0 journal's send had (its header holds this hash).
import { createHash } from "node:crypto";

/** Hashes recipients chunk by chunk: each chunk's own hash lets the sending pass check it reads what was validated. */
export class RecipientsHash {
  readonly #all = createHash("sha256");
  /** The chunk's lines so far: hashed once at its end, not one native call per recipient. */
  #chunk = "";

  /** `json`: the recipient's JSON, when the caller has it already. */
  add(recipient: object, json = JSON.stringify(recipient)): void {
    this.#chunk += `${json}\n`;
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
