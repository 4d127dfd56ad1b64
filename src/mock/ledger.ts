// The simulator's record of every SMS it "sent", in order, and the check that matters most with a send that has no
// idempotency key: nobody was texted twice.

/** One SMS the simulator sent: one per recipient of every request it processed (5xx, hang and reset included). */
export interface SentSms {
  /** The recipient as IP1 answers it: E.164 when the number parses, else the Phone as written. */
  phone: string;
  nki: number;
  from: string;
  message: string;
  /** The record's Status (0 unless a scenario failed it). */
  status: number;
  id: number;
  bundleId: number;
  segments: number;
  /** The HTTP status the request was answered with, or "hang" / "reset" when it got no answer. */
  answer: number | "hang" | "reset";
}

/** A phone that got more than one SMS, and how many. */
export interface RepeatedPhone {
  phone: string;
  times: number;
}

/** Thrown by {@link Ip1MockLedger.assertTextedOnce}: names every phone texted more than once. */
export class Ip1MockTextedTwiceError extends Error {
  override name = "Ip1MockTextedTwiceError";
  readonly repeated: RepeatedPhone[];

  constructor(repeated: RepeatedPhone[]) {
    const listed = repeated.slice(0, 20).map(({ phone, times }) => `\n  ${phone}: ${times} times`);
    super(`${repeated.length} phone(s) were texted more than once:${listed.join("")}`);
    this.repeated = repeated;
  }
}

export class Ip1MockLedger {
  readonly #entries: SentSms[] = [];

  /** Every SMS sent so far, oldest first. */
  get entries(): readonly SentSms[] {
    return this.#entries;
  }

  add(sms: SentSms): void {
    this.#entries.push(sms);
  }

  /** The SMS sent to `phone` (E.164, as in the records' `To`). */
  sentTo(phone: string): SentSms[] {
    return this.#entries.filter((sms) => sms.phone === phone);
  }

  /** Every phone with more than one SMS (failed Status included: a retry of it is still a second text). */
  textedMoreThanOnce(): RepeatedPhone[] {
    const times = new Map<string, number>();
    for (const { phone } of this.#entries) times.set(phone, (times.get(phone) ?? 0) + 1);
    return [...times].filter(([, count]) => count > 1).map(([phone, count]) => ({ phone, times: count }));
  }

  /** Throws {@link Ip1MockTextedTwiceError} when any phone got more than one SMS; use it at the end of a test. */
  assertTextedOnce(): void {
    const repeated = this.textedMoreThanOnce();
    if (repeated.length > 0) throw new Ip1MockTextedTwiceError(repeated);
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
