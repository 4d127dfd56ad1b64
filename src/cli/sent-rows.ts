// What the first pass keeps for the send, so that the second pass parses no phone: which rows are sent (CSV lines, or
// --to positions: a bit each), each one's phone in E.164 (8 bytes: a million cost 8 MB; also what the ledger's held
// texts are matched against), and each chunk's digest of its rows as read, against which the second pass checks that
// it reads what was validated.

const E164 = /^\+[1-9]\d{1,14}$/;

export class SentRows {
  #keys = new Uint8Array(1024);
  /** E.164 without its "+", as a number: at most 15 digits, so exact (below 2 ** 53). */
  #phones = new Float64Array(1024);
  #digests = new Uint8Array(32 * 64);
  /** The phones in order, for `includes`: made at its first call. */
  #sorted: Float64Array | undefined;
  #count = 0;
  #chunks = 0;

  /** The row `key` is sent, as the next recipient, to `e164` (a normalized phone: `+` and up to 15 digits). */
  add(key: number, e164: string): void {
    if (!E164.test(e164)) throw new Error(`not a normalized phone: ${e164}`);
    if (key >> 3 >= this.#keys.length) this.#keys = grown(this.#keys, (key >> 3) + 1);
    this.#keys[key >> 3] = (this.#keys[key >> 3] as number) | (1 << (key & 7));
    if (this.#count === this.#phones.length) this.#phones = grown(this.#phones, this.#count + 1);
    this.#phones[this.#count++] = Number(e164.slice(1));
    this.#sorted = undefined;
  }

  has(key: number): boolean {
    return (((this.#keys[key >> 3] ?? 0) >> (key & 7)) & 1) === 1;
  }

  /** The phone of recipient `n` (0-based, in the order added). */
  phone(n: number): string {
    return `+${this.#phones[n]}`;
  }

  /** Whether a row is sent to `e164`. */
  includes(e164: string): boolean {
    if (!E164.test(e164)) return false;
    const phone = Number(e164.slice(1));
    this.#sorted ??= this.#phones.slice(0, this.#count).sort();
    const sorted = this.#sorted;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((sorted[middle] as number) < phone) low = middle + 1;
      else high = middle;
    }
    return sorted[low] === phone;
  }

  get count(): number {
    return this.#count;
  }

  /** Ends a chunk with its digest (hex, 32 bytes). */
  endChunk(hex: string): void {
    if (32 * (this.#chunks + 1) > this.#digests.length) this.#digests = grown(this.#digests, 32 * (this.#chunks + 1));
    this.#digests.set(Buffer.from(hex, "hex"), 32 * this.#chunks++);
  }

  /** Whether chunk `index` ended with digest `hex`. */
  sameChunk(index: number, hex: string): boolean {
    return index < this.#chunks && Buffer.from(hex, "hex").equals(this.#digests.subarray(32 * index, 32 * index + 32));
  }
}

/** `array` copied into one at least twice as long, and at least `length`. */
function grown<T extends Uint8Array | Float64Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, length));
  bigger.set(array);
  return bigger;
}
