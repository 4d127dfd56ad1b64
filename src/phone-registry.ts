// Finding recipients with the same phone: the client's duplicate check, the CLI's across chunks, and callers' own
// lists. Apart from phone.ts because it needs no phone library, so that Node's entry of the package can hold it
// without loading any (scripts/build.ts).

/** A recipient whose normalized phone was already seen: both positions (0-based) and the number. */
export interface DuplicatePhone {
  phone: string;
  firstIndex: number;
  index: number;
}

/**
 * Remembers every normalized phone seen so far and where, so duplicates can be found across chunks and streams.
 * `add` returns the earlier position of the same phone, or `undefined` for a phone seen for the first time.
 * An E.164 number (at most 15 digits) is kept as a number in an open-addressing table of typed arrays: 12 bytes a
 * slot and no object per phone, so a million phones cost about 24 MB that the garbage collector never has to trace.
 */
export class PhoneRegistry {
  #phones: Float64Array;
  /** An index (a position or a CSV line) per slot: below 2 ** 32, which no list or file reaches. */
  #firstIndex: Uint32Array;
  #size = 0;
  /** Anything that is not E.164 (callers should normalize first, but nothing is lost if they do not). */
  readonly #others = new Map<string, number>();

  /**
   * `expected`: about how many phones will be added, when known (a send's recipients), so the table is made big
   * enough once (up to a million) instead of doubling as it fills. Small by default: most sends hold a few.
   */
  constructor(expected = 0) {
    const slots = 2 ** Math.max(4, Math.ceil(Math.log2(Math.min(expected, 2 ** 20) * 2 + 1)));
    this.#phones = new Float64Array(slots);
    this.#firstIndex = new Uint32Array(slots);
  }

  add(e164: string, index: number): number | undefined {
    if (!/^\+[1-9]\d{1,14}$/.test(e164)) {
      const first = this.#others.get(e164);
      if (first === undefined) this.#others.set(e164, index);
      return first;
    }
    const phone = Number(e164.slice(1));
    const slot = this.#find(phone);
    if (this.#phones[slot] === phone) return this.#firstIndex[slot];
    this.#phones[slot] = phone;
    this.#firstIndex[slot] = index;
    if (++this.#size * 2 > this.#phones.length) this.#grow();
    return undefined;
  }

  /** The index `e164` was first added with, or undefined; adds nothing. */
  get(e164: string): number | undefined {
    if (!/^\+[1-9]\d{1,14}$/.test(e164)) return this.#others.get(e164);
    const phone = Number(e164.slice(1));
    const slot = this.#find(phone);
    return this.#phones[slot] === phone ? this.#firstIndex[slot] : undefined;
  }

  get size(): number {
    return this.#size + this.#others.size;
  }

  /** The slot holding `phone`, or the empty slot where it goes (0 marks empty: no phone is 0). */
  #find(phone: number): number {
    const mask = this.#phones.length - 1;
    let slot = (Math.imul(phone % 0x100000000, 0x9e3779b1) ^ Math.floor(phone / 0x100000000)) & mask;
    while (this.#phones[slot] !== 0 && this.#phones[slot] !== phone) slot = (slot + 1) & mask;
    return slot;
  }

  #grow() {
    const phones = this.#phones;
    const firstIndex = this.#firstIndex;
    this.#phones = new Float64Array(phones.length * 2);
    this.#firstIndex = new Uint32Array(phones.length * 2);
    for (let slot = 0; slot < phones.length; slot++) {
      const phone = phones[slot] as number;
      if (phone === 0) continue;
      const to = this.#find(phone);
      this.#phones[to] = phone;
      this.#firstIndex[to] = firstIndex[slot] as number;
    }
  }
}

/**
 * Splits `users` (whose `Phone` is already normalized) into the first of each phone and the duplicates after it, so
 * callers can de-duplicate their own lists the way the client does.
 */
export function dedupeByPhone<T extends { Phone: string }>(
  users: readonly T[],
): { kept: T[]; duplicates: DuplicatePhone[] } {
  const seen = new PhoneRegistry();
  const kept: T[] = [];
  const duplicates: DuplicatePhone[] = [];
  users.forEach((user, index) => {
    const firstIndex = seen.add(user.Phone, index);
    if (firstIndex === undefined) kept.push(user);
    else duplicates.push({ phone: user.Phone, firstIndex, index });
  });
  return { kept, duplicates };
}
