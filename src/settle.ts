// Settles the texts a ledger holds as unknown (or in flight, which after a crash means unknown) from IP1's own record,
// its sent log: IP1 has no idempotency key, so the log is the only authority on whether a text went out. A text
// found there becomes "sent" (or "failed", when its Status already failed), with IP1's ID as evidence. A text not
// found stays unknown, with a note saying how long after its claim it was looked for: absence is not proof (the log
// may lag, or not hold NKI sends at all; see the spec), so texting it again stays the operator's explicit choice.
import { SETTLE_DEFAULTS } from "./follow-settle-defaults.js";
import type { Ip1Evidence, Ledger, LedgerFilter, TextEntry, TextOutcome } from "./ledger/ledger.js";
import { sha256Hex } from "./ledger/use.js";
import { evidenceOf, recordPhone } from "./recipient-outcomes.js";
import type { ReadOptions, SentLogReader } from "./sent-log.js";
import { statusOutcome } from "./status.js";
import type { LoggedOutgoingSms } from "./types-entry.js";

export interface SettleOptions {
  /**
   * Which texts to settle: by target, NKI and round. Default: every unknown and in-flight text in the ledger.
   * Whatever its target: pass `target: canonicalTarget(baseUrl)` of the client's API when the ledger also holds texts
   * sent elsewhere (a mock), since only that API's log knows them. The CLI always does.
   */
  filter?: Omit<LedgerFilter, "state"> | undefined;
  /**
   * How long after its claim a text may appear in IP1's log (`Created`), in ms: the window searched by phone.
   * Default: 900 000 (15 minutes): a request's timeout is 30 s by default, so a text sent at all was created well
   * within it.
   */
  windowMs?: number | undefined;
  /**
   * How far IP1's clock may run behind this machine's, in ms: the window starts this long before the claim.
   * Default: 120 000 (2 minutes).
   */
  clockSkewMs?: number | undefined;
  /**
   * In-flight texts claimed less than this long ago (ms) are left alone: a live send may still be waiting for its
   * answer. Default: 120 000 (2 minutes). Use 0 right after a crash, when no send is running.
   */
  inFlightGraceMs?: number | undefined;
  /** Phones per search of the log (`to` filters of one request). Default: 50. */
  phonesPerSearch?: number | undefined;
  /** The clock, for the notes and the grace period. Default: `Date.now`. */
  now?: (() => number) | undefined;
  /** Passed to every read (a signal to stop, a timeout). */
  read?: ReadOptions | undefined;
}

/** One text settled from IP1's log. */
export interface SettledText {
  entry: TextEntry;
  state: "sent" | "failed";
  ip1: Ip1Evidence;
}

/** One text still unknown, with why. */
export interface UnsettledText {
  entry: TextEntry;
  /** The note recorded in the ledger ("not in IP1's log after 12 minutes", …). */
  note: string;
}

export interface SettleResult {
  settled: SettledText[];
  stillUnknown: UnsettledText[];
  /** In-flight texts within the grace period, left as they are. */
  skipped: TextEntry[];
}

type LogReader = Pick<SentLogReader, "listSentSmsInBundle" | "searchSentSms">;

/**
 * Looks every unknown (and in-flight) text of `ledger` up in IP1's sent log and records what it finds: by BundleID
 * when the ledger holds one (the answer was partly read), else by phone among the texts `Created` from
 * `claimedAt - clockSkewMs` to `claimedAt + windowMs`, whose message has the same sha256 as the one claimed.
 */
export async function settleUnknowns(
  ledger: Ledger,
  client: LogReader,
  options: SettleOptions = {},
): Promise<SettleResult> {
  const windowMs = options.windowMs ?? SETTLE_DEFAULTS.windowMs;
  const skewMs = options.clockSkewMs ?? SETTLE_DEFAULTS.clockSkewMs;
  const graceMs = options.inFlightGraceMs ?? SETTLE_DEFAULTS.inFlightGraceMs;
  const perSearch = options.phonesPerSearch ?? SETTLE_DEFAULTS.phonesPerSearch;
  const now = options.now ?? Date.now;
  const result: SettleResult = { settled: [], stillUnknown: [], skipped: [] };

  const pending: TextEntry[] = [];
  for await (const entry of ledger.list({ ...options.filter, state: ["unknown", "in-flight"] })) {
    if (entry.state === "in-flight" && now() - Date.parse(entry.claimedAt) < graceMs) result.skipped.push(entry);
    else pending.push(entry);
  }

  const found = new Map<TextEntry, LoggedOutgoingSms>();
  // Partly read answers: the bundle names the request, so its texts are found without a time window.
  const bundles = new Map<string, LoggedOutgoingSms[]>();
  for (const entry of pending) {
    const bundle = entry.ip1?.bundleId;
    if (!bundle) continue;
    if (!bundles.has(bundle)) bundles.set(bundle, await client.listSentSmsInBundle(Number(bundle), options.read));
    const wanted = new Set([entry.phone]);
    const match = (bundles.get(bundle) ?? []).find((record) => recordPhone(record.To, wanted) === entry.phone);
    if (match) found.set(entry, match);
  }
  // The rest by phone, many phones per search, each matched in its own window. IP1 may write To without the "+"
  // (see recipient-outcomes.ts), so each phone is asked for in both spellings.
  const differs = new Map<TextEntry, LoggedOutgoingSms>();
  const byPhone = pending.filter((entry) => !found.has(entry));
  for (let start = 0; start < byPhone.length; start += perSearch) {
    const batch = byPhone.slice(start, start + perSearch);
    const claimed = batch.map((entry) => Date.parse(entry.claimedAt));
    const records = await client.searchSentSms(
      {
        to: [...new Set(batch.flatMap((entry) => [entry.phone, entry.phone.replace(/^\+/, "")]))],
        createdFrom: new Date(Math.min(...claimed) - skewMs),
        createdUntil: new Date(Math.max(...claimed) + windowMs),
      },
      options.read,
    );
    const phones = new Set(batch.map((entry) => entry.phone));
    const read = await Promise.all(
      records.map(async (record) => ({
        record,
        phone: recordPhone(record.To, phones),
        hash: await sha256Hex(record.Message),
      })),
    );
    batch.forEach((entry, index) => {
      const from = (claimed[index] as number) - skewMs;
      const until = (claimed[index] as number) + windowMs;
      const near = read.filter(({ record, phone }) => phone === entry.phone && inside(record.Created, from, until));
      // Only the same message counts: another survey to the same person in the window is not this text.
      const match = near.find(({ hash }) => hash === entry.messageHash);
      if (match) found.set(entry, match.record);
      else if (near[0]) differs.set(entry, near[0].record);
    });
  }

  const outcomes: TextOutcome[] = [];
  const checkedAt = new Date(now()).toISOString();
  for (const entry of pending) {
    const key = { target: entry.target, nki: entry.nki, round: entry.round, phone: entry.phone };
    const record = found.get(entry);
    if (record) {
      const ip1 = evidenceOf(record);
      const state = statusOutcome(record.Status) === "failed" ? "failed" : "sent";
      outcomes.push({ ...key, state, ip1, note: `settled from IP1's sent log at ${checkedAt}: ID ${ip1.id}` });
      result.settled.push({ entry, state, ip1 });
    } else {
      const minutes = Math.floor((now() - Date.parse(entry.claimedAt)) / 60_000);
      const other = differs.get(entry);
      const note = other
        ? `not in IP1's log after ${minutes} minutes (checked ${checkedAt}); IP1's log holds a text to this phone with another message (ID ${other.ID}, created ${other.Created})`
        : `not in IP1's log after ${minutes} minutes (checked ${checkedAt})`;
      outcomes.push({
        ...key,
        state: "unknown",
        ip1: entry.ip1,
        error: entry.error ?? "the send's outcome is unknown",
        note,
      });
      result.stillUnknown.push({ entry, note });
    }
  }
  await ledger.record(outcomes);
  return result;
}

function inside(created: string | undefined, from: number, until: number): boolean {
  const time = created === undefined ? Number.NaN : Date.parse(created);
  return time >= from && time <= until;
}
