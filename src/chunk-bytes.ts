// A chunk's request body size, counted as users stream by. A module of its own so Node's lazy entry (which loads
// classes eagerly) does not pull the bulk send in with it.
import { utf8Length } from "./policy.js";
import type { NkiSendRequest, NkiUser } from "./types-entry.js";

/**
 * The size of each chunk's request body as its users are added, each measured once: the envelope's JSON with its
 * users' JSON, comma-separated, inside `"Users":[…]`. For callers that stream users (the CLI's first pass) and must
 * refuse an oversized chunk before anything is sent; compare with `requestSizeProblems`.
 */
export class ChunkBytes {
  readonly #envelope: number;
  #bytes: number;
  #count = 0;

  constructor(envelope: Omit<NkiSendRequest, "Users">) {
    this.#envelope = utf8Length(JSON.stringify({ ...envelope, Users: [] }));
    this.#bytes = this.#envelope;
  }

  /** `json`: the user's JSON, when the caller has it already. */
  add(user: NkiUser, json = JSON.stringify(user)): void {
    this.#bytes += utf8Length(json) + (this.#count++ > 0 ? 1 : 0);
  }

  /** The chunk's body size in bytes; the next `add` starts the next chunk. */
  end(): number {
    const bytes = this.#bytes;
    this.#bytes = this.#envelope;
    this.#count = 0;
    return bytes;
  }
}
