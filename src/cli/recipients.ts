// Reads the recipients (from --to or a CSV) and checks each one with the library's validation and phone
// normalization, so every problem is reported where the user can fix it: a CSV line, or the --to that gave it.
// Recipients stream: a first pass validates, finds duplicates and hashes the job; a second pass (eachRecipient) reads
// the input again as it is sent, so memory does not grow with the input (beyond the phone each recipient is sent to,
// 8 bytes). Each phone is parsed once, by the first pass.
import { resolve } from "node:path";
import { ChunkBytes, DEFAULTS, type NkiSendRequest, type NkiUser, type PhoneCountry, PhoneRegistry } from "../index.js";
import { requestSizeProblems } from "../policy.js";
import { sendProblems, validateRecipient, withPhone } from "../validate.js";
import type { SendOptions } from "./args.js";
import { CliError } from "./cli-error.js";
import { type CsvRow, readUsersCsv } from "./csv.js";
import type { CsvFormat } from "./csv-format.js";
import { RecipientsHash } from "./ledger/identity.js";
import { toFormat, toParts, userFromCells } from "./recipient-fields.js";
import { SentRows } from "./sent-rows.js";

/** One thing wrong with the input, located for the user: `users.csv:7: Phone: must NOT have …`. */
export interface InputProblem {
  /** `users.csv:7`, `--to #2`, or the option (`--from`). */
  where: string;
  /** CSV line, for problems in a CSV row. */
  line?: number;
  /** The field or column, when the problem is in one. */
  field?: string;
  message: string;
}

/** A valid recipient as it is sent: Phone normalized to E.164. */
export interface Recipient {
  user: NkiUser;
  /** CSV line, absent for --to. */
  line?: number;
}

/** The second pass read something other than what the first validated: that chunk and every later one is not sent. */
export class InputChangedError extends CliError {}

/** What the first pass found. */
export interface ScannedRecipients {
  /** The CSV path as given, or "--to". */
  input: string;
  /** Recipients to send: valid, and the first of their phone. */
  count: number;
  /** Invalid recipients' problems (they block the send unless --skip-invalid). */
  invalid: InputProblem[];
  invalidCount: number;
  /** Later rows with a phone already seen (they block the send unless --skip-duplicates). */
  duplicates: InputProblem[];
  /** Chunks whose request would exceed the client's byte limit: they block the send, found before any request. */
  oversized: InputProblem[];
  /** SHA-256 over the recipients as sent (see RecipientsHash). */
  recipientsSha256: string;
  /** Which rows are sent, each one's phone in E.164, and each chunk's digest: what the second pass needs. */
  sent: SentRows;
  /** How the CSV was read (encoding, delimiter); absent for --to. */
  format?: CsvFormat;
}

/** Everything in the request but the users. */
export type Envelope = Omit<NkiSendRequest, "Users">;

export function envelopeOf(options: SendOptions): Envelope {
  return { From: options.from, Message: options.message, ...(options.email ? { Email: true } : {}) };
}

const optionForPath: Record<string, string> = { nki: "--nki", From: "--from", Message: "--message", Email: "--email" };

/** Problems with --nki, --from, --message: checked once, not per recipient. */
export function envelopeProblems(nki: number, envelope: Envelope): InputProblem[] {
  return sendProblems(nki, { ...envelope, Users: [] })
    .filter((problem) => !problem.path.startsWith("Users"))
    .map((problem) => ({ where: optionForPath[problem.path] ?? problem.path, message: problem.message }));
}

/** First pass: validates every recipient, finds duplicate phones, and hashes the recipients chunk by chunk. */
export async function scanRecipients(options: SendOptions, cwd: string): Promise<ScannedRecipients> {
  const firstOf = new PhoneRegistry();
  const hash = new RecipientsHash();
  const sent = new SentRows();
  const rowsRead = new RecipientsHash();
  const scan = {
    input: options.users ?? "--to",
    count: 0,
    invalid: [] as InputProblem[],
    invalidCount: 0,
    duplicates: [] as InputProblem[],
    oversized: [] as InputProblem[],
  };
  // Every chunk's size is checked here, so an oversized chunk anywhere refuses the send before its first request.
  const bytes = new ChunkBytes(envelopeOf(options));
  let chunkFirst = "";
  let chunkLast = "";
  const endChunk = () => {
    hash.endChunk();
    sent.endChunk(rowsRead.endChunk());
    const chunk = Math.ceil(scan.count / options.chunkSize) - 1;
    for (const { message } of requestSizeProblems(bytes.end(), DEFAULTS.maxRequestBytes, "")) {
      const where = `chunk ${chunk} (${chunkFirst === chunkLast ? chunkFirst : `${chunkFirst} to ${chunkLast}`})`;
      scan.oversized.push({ where, message: `${message}: give a smaller --chunk-size, or shorten its fields` });
    }
  };
  // A valid recipient is sent unless its phone came before. `written`: its phone as read.
  const valid = (user: NkiUser, written: string, key: number, where: string, line: number | undefined) => {
    const first = firstOf.add(user.Phone, key);
    if (first !== undefined) {
      const earlier = line === undefined ? `--to #${first}` : `on line ${first}`;
      const message = `${user.Phone} is also ${earlier}; a phone is texted once`;
      scan.duplicates.push({ where, line, field: "Phone", message });
      return;
    }
    const json = JSON.stringify(user);
    hash.add(json);
    rowsRead.add(rowAsRead(json, written));
    sent.add(key, user.Phone);
    bytes.add(user, json);
    chunkLast = line === undefined ? `--to #${key}` : `line ${key}`;
    if (scan.count % options.chunkSize === 0) chunkFirst = chunkLast;
    if (++scan.count % options.chunkSize === 0) endChunk();
  };
  const invalid = (problems: InputProblem[]) => {
    scan.invalidCount++;
    scan.invalid.push(...problems);
  };
  const format = await walkInput(options, cwd, {
    row(user, key, where, line) {
      const checked = checkRecipient(user, options.defaultCountry);
      if (checked.ok) valid(checked.user, user.Phone, key, where, line);
      else invalid(located(checked.problems, where, line));
    },
    unreadable: (problem) => invalid([problem]),
  });
  if (scan.count % options.chunkSize !== 0) endChunk();
  return {
    ...scan,
    recipientsSha256: hash.digest(),
    sent,
    ...(format ? { format } : {}),
  };
}

/**
 * Second pass: calls `onRecipient` for each recipient to send, in order (the first of each phone, valid), and
 * `onChunkEnd` after each chunk with whether it is the chunk the first pass hashed. `pause` is asked before each block
 * of the file, so a slow consumer holds the reading back.
 */
export async function eachRecipient(
  options: SendOptions,
  cwd: string,
  scan: ScannedRecipients,
  onRecipient: (recipient: Recipient) => void,
  onChunkEnd: (chunk: number, same: boolean) => void,
  pause?: () => Promise<void> | undefined,
): Promise<void> {
  const { sent } = scan;
  const rowsRead = new RecipientsHash();
  let count = 0;
  const endChunk = () => {
    const chunk = Math.ceil(count / options.chunkSize) - 1;
    onChunkEnd(chunk, sent.sameChunk(chunk, rowsRead.endChunk()));
  };
  await walkInput(
    options,
    cwd,
    {
      // The first pass checked every row and kept the phone each row sent normalizes to: nothing is checked or parsed
      // again here, and each chunk's digest proves its rows read as they did then, phones as written included. (The
      // library checks each recipient again as it sends.)
      row(read, key, _where, line) {
        if (!sent.has(key)) return;
        const user = withPhone(read, sent.phone(count));
        const json = JSON.stringify(user);
        rowsRead.add(rowAsRead(json, read.Phone));
        onRecipient(line === undefined ? { user } : { user, line });
        if (++count % options.chunkSize === 0) endChunk();
      },
      unreadable() {},
    },
    pause,
  );
  if (count % options.chunkSize !== 0) endChunk();
  if (count !== scan.count) {
    throw new InputChangedError(`${scan.input} changed while sending (${scan.count} recipients before, ${count} now)`);
  }
}

interface InputVisitor {
  /** A recipient as read, unchecked; `key` is its CSV line (also `line`), or its --to position (1-based). */
  row(user: NkiUser, key: number, where: string, line: number | undefined): void;
  /** A CSV row or --to that does not read as a recipient at all (a wrong number of fields or parts). */
  unreadable(problem: InputProblem): void;
}

async function walkInput(
  options: SendOptions,
  cwd: string,
  visitor: InputVisitor,
  pause?: () => Promise<void> | undefined,
): Promise<CsvFormat | undefined> {
  if (options.users !== undefined) {
    const path = options.users;
    const digest = await readUsersCsv(
      resolve(cwd, path),
      (row: CsvRow) => {
        const where = `${path}:${row.line}`;
        if (row.problem) visitor.unreadable({ where, line: row.line, message: row.problem });
        else visitor.row(userFromCells(row.fields), row.line, where, row.line);
      },
      path,
      pause,
      { columns: options.columns },
    );
    return digest.format;
  }
  options.to.forEach((value, index) => {
    const where = `--to #${index + 1} (${value})`;
    const user = parseTo(value);
    if (typeof user === "string") visitor.unreadable({ where, message: user });
    else visitor.row(user, index + 1, where, undefined);
  });
  return undefined;
}

/** A recipient's problems, located for the user. */
function located(problems: { field?: string; message: string }[], where: string, line: number | undefined) {
  return problems.map(({ field, message }): InputProblem => {
    // --to +46701234567 alone is the likeliest way to miss a field the API requires: show where it goes.
    const hint = line === undefined && message === "is required" ? ` (--to takes ${toFormat()})` : "";
    return { where, line, field, message: message + hint };
  });
}

/** `PHONE,FIRSTNAME[,…]` (the order is toParts') → a user (empty parts left out), or what is wrong with it. */
function parseTo(value: string): NkiUser | string {
  const parts = value.split(",").map((part) => part.trim());
  const fields = toParts();
  if (parts.length > fields.length) {
    return `has ${parts.length} comma-separated parts; give ${toFormat()} (use --users for names with commas)`;
  }
  return userFromCells(Object.fromEntries(parts.map((part, index) => [fields[index]?.name ?? "", part])));
}

type CheckedRecipient = { ok: true; user: NkiUser } | { ok: false; problems: { field?: string; message: string }[] };

/**
 * The one place the CLI checks a recipient: the library's own per-recipient check (the spec, the client policy, and the
 * phone normalized to E.164, which is what is sent and what duplicates and IP1's records are matched by).
 */
export function checkRecipient(user: NkiUser, defaultCountry: PhoneCountry | undefined): CheckedRecipient {
  const checked = validateRecipient(user, "user", { defaultCountry });
  if (checked.user) return { ok: true, user: checked.user };
  const problems = checked.problems.map((problem) => ({
    field: problem.path.replace(/^user\.?/, "") || undefined,
    message: asCliOption(problem.message),
  }));
  return { ok: false, problems };
}

/** The library names its option (`defaultCountry: "SE"`); the CLI's user types `--default-country SE`. */
function asCliOption(message: string): string {
  return message
    .replace(/defaultCountry: "([A-Z]{2})"/g, "--default-country $1")
    .replace(/\bdefaultCountry\b/g, "--default-country");
}

export function formatProblem(problem: InputProblem): string {
  return [problem.where, problem.field, problem.message].filter(Boolean).join(": ");
}

/**
 * A sent row as the chunk digests see it: the recipient as sent, and its phone as written (which the recipient as
 * sent does not show once normalized: an edited `070-…` would otherwise pass for the number validated).
 */
function rowAsRead(json: string, written: unknown): string {
  return `${json}\t${String(written)}`;
}
