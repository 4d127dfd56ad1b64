// The send ledger: one row per text, keyed by what the text is (the API it went to, the survey, the round and the
// person's phone), never by a file name, a host spelling or a PID. A send claims its recipients in one committed
// transaction before its request, and records each one's outcome after the answer. The database holds the locks and
// the durability; the stores (SQLite, PostgreSQL) implement this interface and nothing else.

/** What makes a text unique. Two sends with the same key are the same text to the same person. */
export interface TextKey {
  /** Where the text went: the API's canonical origin (see `canonicalTarget`), or `mock:<name>` for a simulator. */
  target: string;
  /** The NKI (survey) id. */
  nki: number;
  /**
   * The round of this survey: a campaign or ticket id named by the caller, so that next month's round is a new text
   * and not an accident. The default round is `"default"`.
   */
  round: string;
  /** The recipient's phone in E.164 (`+46701234567`). */
  phone: string;
}

/**
 * Where a text stands.
 * - `in-flight`: claimed, and its request may be on the wire. Seen after a crash, it means `unknown`.
 * - `sent`: IP1 answered 200 with a record for this phone (its Status may still fail later; see `ip1`).
 * - `failed`: IP1 answered 200 with a record whose Status failed, or with no record for this phone.
 * - `refused`: IP1 certainly did not send it (a not-sent outcome: 400, 401, 403, a refused connection, …).
 * - `unknown`: IP1 may have texted this person (a timeout, a 5xx, a 3xx, a reset after the body left, a crash).
 *
 * A new claim is refused for `sent`, `in-flight` and `unknown` unless the caller says `again` (`sent`) or `force`
 * (`in-flight`, `unknown`); `failed` and `refused` may be claimed again.
 */
export type TextState = "in-flight" | "sent" | "failed" | "refused" | "unknown";

/** IP1's own record of a text, as its 200 (or its sent log) gave it. */
export interface Ip1Evidence {
  id?: string | undefined;
  bundleId?: string | undefined;
  status?: number | undefined;
}

/** One recipient to claim, with what the operator needs to find them again. */
export interface TextClaim extends TextKey {
  /** sha256 of the Message as sent (hex). */
  messageHash: string;
  from: string;
  /** The recipient's name, for reports (FirstName LastName). */
  name?: string | undefined;
  /** The CSV line the recipient came from, for reports. */
  line?: number | undefined;
}

export interface TextEntry extends TextClaim {
  state: TextState;
  /** ISO 8601 times. */
  claimedAt: string;
  updatedAt: string;
  /** How many times this text has been claimed (2 or more: it was sent again on purpose). */
  attempts: number;
  ip1?: Ip1Evidence | undefined;
  /** Why the text is failed, refused or unknown (never a credential). */
  error?: string | undefined;
  /** An operator's or settle's note (for example "settled by hand: customer confirmed"). */
  note?: string | undefined;
}

export interface ClaimOptions {
  /** Claim texts held as `sent` again (a deliberate second text). */
  again?: boolean;
  /** Claim texts held as `in-flight` or `unknown` again (they may already have been texted). */
  force?: boolean;
}

export interface ClaimResult {
  /** The claims now held as `in-flight` by this caller. */
  claimed: TextClaim[];
  /** The claims refused, with the state the ledger holds them in. */
  refused: { claim: TextClaim; state: TextState }[];
}

/** The outcome of one claimed text, recorded after its request's answer. */
export interface TextOutcome extends TextKey {
  state: Exclude<TextState, "in-flight">;
  ip1?: Ip1Evidence | undefined;
  error?: string | undefined;
  note?: string | undefined;
}

export interface LedgerFilter {
  state?: TextState | readonly TextState[];
  target?: string;
  nki?: number;
  round?: string;
}

export interface Ledger {
  /** Where the ledger is, for messages: the SQLite file's real path, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Claims the texts in one committed transaction: two callers can never both claim one key. */
  claim(texts: readonly TextClaim[], options?: ClaimOptions): Promise<ClaimResult>;
  /** Records outcomes of claimed texts, durably, before returning. */
  record(outcomes: readonly TextOutcome[]): Promise<void>;
  get(key: TextKey): Promise<TextEntry | undefined>;
  list(filter?: LedgerFilter): AsyncIterable<TextEntry>;
  close(): Promise<void>;
}
