// `ip1-nki ledger import`: a 0.2.0 journal's history into the ledger, so that no one it texted (or may have) is texted
// again. A journal names chunks by their place in the job, not people, so the CSV it sent is read again with the same
// options, and checked against the hash the journal holds: a different file or different options import nothing.
// This is the only code left that reads journals; nothing writes them any more.
import { readFileSync } from "node:fs";
import { canonicalTarget, DEFAULTS, type Ledger, type NkiUser, type TextClaim, type TextOutcome } from "../../index.js";
import { recipientName } from "../../recipient-name.js";
import type { SendOptions } from "../args.js";
import { CliError } from "../cli-error.js";
import { MOCK_TARGET } from "../connection.js";
import { eachRecipient, scanRecipients } from "../recipients.js";

export const importOptionSpec = {
  users: { type: "string" },
  to: { type: "string", multiple: true },
  "default-country": { type: "string" },
  round: { type: "string" },
  json: { type: "boolean" },
} as const;

/** The journal's first line (version 2, as 0.2.0 wrote it). */
interface JournalHeader {
  type: "job";
  version: 2;
  nki: number;
  from: string;
  messageSha256: string;
  recipientsSha256: string;
  recipients: number;
  chunkSize: number;
  target: { mock: true } | { mock: false; origin: string };
}

interface ChunkLine {
  type: "run" | "attempt" | "chunk" | "repair";
  mode?: "new" | "resume" | "again";
  chunk?: number;
  outcome?: "sent" | "failed" | "unknown";
  failedRecipients?: { to?: string; status?: number; description?: string }[];
  noRecord?: { phone: string }[];
  unknownChunks?: number[];
  error?: { name: string; message: string };
}

export interface Imported {
  journal: string;
  target: string;
  nki: number;
  round: string;
  /** Recipients recorded, by the state they were recorded in. */
  counts: Partial<Record<TextOutcome["state"], number>>;
  recorded: number;
  /** Recipients the ledger held already (left as they were). */
  heldAlready: number;
  /** Recipients in chunks the journal never attempted: not recorded, so a send texts them. */
  notAttempted: number;
}

type ImportValues = {
  users?: string | undefined;
  to?: string[] | undefined;
  "default-country"?: string | undefined;
  round?: string | undefined;
};

export async function importJournal(
  path: string,
  values: ImportValues,
  ledger: Ledger,
  cwd: string,
): Promise<Imported> {
  const { header, lines } = readJournal(path);
  if (values.users === undefined && (values.to ?? []).length === 0) {
    throw new CliError("Give the recipients the journal's send had: --users FILE.csv (or its --to values).");
  }
  const options = {
    users: values.users,
    to: values.to ?? [],
    columns: new Map<string, string>(),
    defaultCountry: values["default-country"]?.toUpperCase(),
    chunkSize: header.chunkSize,
  } as Partial<SendOptions> as SendOptions; // only what reading the recipients uses
  const scan = await scanRecipients(options, cwd);
  const users: NkiUser[] = [];
  const csvLines: (number | undefined)[] = [];
  await eachRecipient(
    options,
    cwd,
    scan,
    (recipient) => {
      users.push(recipient.user);
      csvLines.push(recipient.line);
    },
    () => {},
  );
  if (scan.recipientsSha256 !== header.recipientsSha256 || scan.count !== header.recipients) {
    throw new CliError(
      `${path}: these recipients are not the ones the journal's send had (${scan.count} valid here, ` +
        `${header.recipients} there, or other phones or fields): give the same CSV (or --to values) with the ` +
        "same --default-country as that send. Nothing was imported.",
    );
  }
  const target = header.target.mock ? MOCK_TARGET : canonicalTarget(header.target.origin);
  const round = values.round ?? DEFAULTS.round;
  const states = chunkStates(lines);
  const claims: TextClaim[] = [];
  const outcomes: TextOutcome[] = [];
  let notAttempted = 0;
  const note = `imported from the 0.2.0 journal ${path}`;
  users.forEach((user, index) => {
    const chunk = states.get(Math.floor(index / header.chunkSize));
    if (!chunk) {
      notAttempted++;
      return;
    }
    const key = { target, nki: header.nki, round, phone: user.Phone };
    const name = recipientName(user);
    const line = csvLines[index];
    claims.push({
      ...key,
      messageHash: header.messageSha256,
      from: header.from,
      ...(name ? { name } : {}),
      ...(line !== undefined ? { line } : {}),
    });
    outcomes.push({ ...key, ...outcomeOf(chunk, user.Phone), note });
  });
  const counts: Imported["counts"] = {};
  let recorded = 0;
  let heldAlready = 0;
  for (let at = 0; at < claims.length; at += 1000) {
    const { claimed, refused } = await ledger.claim(claims.slice(at, at + 1000));
    heldAlready += refused.length;
    const mine = new Set(claimed.map((claim) => claim.phone));
    const batch = outcomes.slice(at, at + 1000).filter((outcome) => mine.has(outcome.phone));
    await ledger.record(batch);
    for (const outcome of batch) counts[outcome.state] = (counts[outcome.state] ?? 0) + 1;
    recorded += batch.length;
  }
  return { journal: path, target, nki: header.nki, round, counts, recorded, heldAlready, notAttempted };
}

/** A recipient's outcome from its chunk's latest line. */
function outcomeOf(chunk: ChunkLine, phone: string): Pick<TextOutcome, "state" | "error"> {
  if (chunk.type !== "chunk") return { state: "unknown", error: "the journal holds an attempt without an outcome" };
  if (chunk.outcome === "failed") return { state: "refused", error: chunk.error?.message };
  if (chunk.outcome === "unknown") return { state: "unknown", error: chunk.error?.message };
  const digits = phone.replace(/^\+/, "");
  const failed = chunk.failedRecipients?.find((record) => record.to?.replace(/^\+/, "") === digits);
  if (failed) return { state: "failed", error: `IP1's Status ${failed.status} ${failed.description ?? ""}`.trim() };
  if (chunk.noRecord?.some((missing) => missing.phone === phone)) {
    return { state: "failed", error: "IP1 answered 200 without a record for this phone" };
  }
  return { state: "sent" };
}

/** Each chunk's latest line in the journal's last round (a --send-again run started a new one). */
function chunkStates(lines: readonly ChunkLine[]): Map<number, ChunkLine> {
  const states = new Map<number, ChunkLine>();
  for (const line of lines) {
    if (line.type === "run" && line.mode === "again") states.clear();
    if ((line.type === "attempt" || line.type === "chunk") && line.chunk !== undefined) states.set(line.chunk, line);
    if (line.type === "repair") for (const chunk of line.unknownChunks ?? []) states.set(chunk, line);
  }
  return states;
}

/**
 * Whole lines only. A damaged line (a torn tail after a crash, zeroed blocks) counts as an attempt of the chunk it
 * may name, else of every chunk not yet recorded: what it said cannot be known, so nobody it may cover is sent again.
 */
function readJournal(path: string): { header: JournalHeader; lines: ChunkLine[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`${path}: cannot read the journal (${(error as NodeJS.ErrnoException).code ?? error}).`);
  }
  const parsed: ChunkLine[] = [];
  let header: JournalHeader | undefined;
  let damaged = false;
  for (const raw of text.split("\n")) {
    if (raw.replace(/\0/g, "").trim() === "") {
      if (raw.includes("\0")) damaged = true;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      damaged = true;
      const chunk = /"chunk":(\d+)/.exec(raw)?.[1];
      if (chunk !== undefined) parsed.push({ type: "attempt", chunk: Number(chunk) });
      continue;
    }
    if (!header) {
      header = value as JournalHeader;
      continue;
    }
    parsed.push(value as ChunkLine);
  }
  if (header?.type !== "job" || header.version !== 2) {
    throw new CliError(`${path}: not an ip1-nki 0.2.0 journal (its first line is not a job header, version 2).`);
  }
  if (damaged) {
    // Every chunk without an outcome may have been announced by the damaged part.
    const known = chunkStates(parsed);
    for (let chunk = 0; chunk < Math.ceil(header.recipients / header.chunkSize); chunk++) {
      if (known.get(chunk)?.type !== "chunk") parsed.push({ type: "attempt", chunk });
    }
  }
  return { header, lines: parsed };
}
