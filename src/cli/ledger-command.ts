// `ip1-nki ledger`: what the send ledger holds, by state, as text, CSV or JSON; `ledger settle` records by hand what an
// operator found out about texts whose outcome was unknown; `ledger import` brings a 0.2.0 journal's history in.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  Ip1LedgerError,
  isPostgresUrl,
  type Ledger,
  MEMORY_LEDGER,
  openLedger,
  type TextEntry,
  type TextState,
} from "../index.js";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import type { CommandIo } from "./io.js";
import { importJournal, importOptionSpec } from "./ledger/import.js";

const STATES: readonly TextState[] = ["sent", "unknown", "failed", "refused", "in-flight"];

export const ledgerHelp = `Usage:
  ip1-nki ledger [list] [--state STATE,…] [--nki ID] [--round NAME] [--target ORIGIN] [--format text|csv|json]
  ip1-nki ledger settle --phone PHONE --state sent|failed --note TEXT [--nki ID] [--round NAME] [--target ORIGIN]
  ip1-nki ledger import JOURNAL.jsonl --users FILE.csv [--default-country CC] [--round NAME]

The send ledger holds one row per text: the target (the API's origin, or mock:ip1-nki), the NKI, the round and the
person's phone, with the state (${STATES.join(", ")}), the name and CSV line, and IP1's ID, BundleID and Status.

list      prints the texts, by state (default: every state), as text, CSV or JSON (--json is --format json).
settle    records what you found out about a text held as unknown or in flight (after checking IP1's portal):
          --state sent (it was texted) or failed (it was not; a later run texts it), with a --note saying how you
          know. Give --nki, --round and --target when the phone is in more than one such text.
import    reads a 0.2.0 journal (ip1-nki-job-….jsonl) and the CSV it sent, with the same options as that send, and
          records each recipient's outcome in the ledger, so the next send refuses whoever the journal says was
          texted (or may have been). Chunks the journal never attempted are not recorded.

Every form takes --ledger PATH|postgres://… (default: env IP1_NKI_LEDGER, else the XDG state directory).
`;

type Io = CommandIo;

export async function runLedger(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === "settle") return settle(rest, io);
  if (sub === "import") return importCommand(rest, io);
  return list(sub === "list" ? rest : argv, io);
}

/** Opens the ledger named by --ledger, else IP1_NKI_LEDGER, else the default; a relative path is the cwd's. */
export async function openCliLedger(spec: string | undefined, io: Io): Promise<Ledger> {
  const chosen = spec ?? io.env.IP1_NKI_LEDGER;
  const absolute = chosen && !isPostgresUrl(chosen) && chosen !== MEMORY_LEDGER ? resolve(io.cwd, chosen) : chosen;
  try {
    return await openLedger(absolute, io.env);
  } catch (error) {
    if (error instanceof Ip1LedgerError) throw new CliError(error.message);
    throw error;
  }
}

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(
  argv: readonly string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]} (see ip1-nki ledger --help)`);
  }
}

const filterSpec = {
  ledger: { type: "string" },
  nki: { type: "string" },
  round: { type: "string" },
  target: { type: "string" },
  json: { type: "boolean" },
} as const;

async function list(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values } = parse(argv, { ...filterSpec, state: { type: "string" }, format: { type: "string" } });
  const format = values.json ? "json" : (values.format ?? "text");
  if (format !== "text" && format !== "csv" && format !== "json") {
    throw new CliError(`--format: "${format}" is not one of text, csv, json.`);
  }
  const states = values.state === undefined ? [...STATES] : values.state.split(",").map((state) => stateOf(state));
  const ledger = await openCliLedger(values.ledger, io);
  try {
    const filter = { state: states, ...keyFilter(values) };
    const byState = new Map<TextState, TextEntry[]>(states.map((state) => [state, []]));
    for await (const entry of ledger.list(filter)) byState.get(entry.state)?.push(entry);
    const entries = states.flatMap((state) => byState.get(state) ?? []);
    if (format === "json") {
      const counts = Object.fromEntries(states.map((state) => [state, byState.get(state)?.length ?? 0]));
      io.stdout.write(`${JSON.stringify({ ok: true, ledger: ledger.location, counts, texts: entries }, null, 2)}\n`);
    } else if (format === "csv") {
      io.stdout.write(`${CSV_COLUMNS.join(",")}\n`);
      for (const entry of entries) io.stdout.write(`${csvRow(entry)}\n`);
    } else {
      const lines = [`Ledger: ${ledger.location}`];
      for (const state of states) {
        const found = byState.get(state) ?? [];
        lines.push(`${state}: ${found.length}`, ...found.map((entry) => `  ${textLine(entry)}`));
      }
      io.stdout.write(`${lines.join("\n")}\n`);
    }
    return ExitCode.ok;
  } finally {
    await ledger.close();
  }
}

async function settle(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values } = parse(argv, {
    ...filterSpec,
    phone: { type: "string" },
    state: { type: "string" },
    note: { type: "string" },
  });
  if (!values.phone) throw new CliError("--phone is required: the phone of the text to settle, in E.164 (+46…).");
  if (values.state !== "sent" && values.state !== "failed") {
    throw new CliError(
      "--state is required: sent (IP1 texted this person) or failed (it did not, so a later send texts them).",
    );
  }
  if (!values.note?.trim()) {
    throw new CliError('--note is required: how you know, for example --note "checked in IP1\'s portal: delivered".');
  }
  const ledger = await openCliLedger(values.ledger, io);
  try {
    const matches: TextEntry[] = [];
    for await (const entry of ledger.list({ state: ["unknown", "in-flight"], ...keyFilter(values) })) {
      if (entry.phone === values.phone) matches.push(entry);
    }
    if (matches.length !== 1) {
      throw new CliError(
        matches.length === 0
          ? `The ledger ${ledger.location} holds no text to ${values.phone} as unknown or in flight` +
              `${values.nki || values.round || values.target ? " with those --nki, --round and --target" : ""}: nothing was settled.`
          : `The ledger holds ${matches.length} texts to ${values.phone} as unknown or in flight: name one with --nki, ` +
              "--round and --target. Nothing was settled.",
        ExitCode.usage,
        matches.map(textLine),
      );
    }
    const [entry] = matches as [TextEntry];
    const note = `settled by hand as ${values.state}: ${values.note.trim()}`;
    await ledger.record([
      {
        target: entry.target,
        nki: entry.nki,
        round: entry.round,
        phone: entry.phone,
        state: values.state,
        ...(entry.ip1 ? { ip1: entry.ip1 } : {}),
        ...(entry.error ? { error: entry.error } : {}),
        note,
      },
    ]);
    const message = `Settled ${textLine(entry)} as ${values.state} (${note}).`;
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ ok: true, settled: { ...entry, state: values.state, note } }, null, 2)}\n`
        : `${message}\n`,
    );
    return ExitCode.ok;
  } finally {
    await ledger.close();
  }
}

async function importCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { ...importOptionSpec, ledger: { type: "string" } }, true);
  if (positionals.length !== 1) {
    throw new CliError("Give one journal to import: ip1-nki ledger import ip1-nki-job-….jsonl --users FILE.csv.");
  }
  const ledger = await openCliLedger(values.ledger, io);
  try {
    const imported = await importJournal(resolve(io.cwd, positionals[0] as string), values, ledger, io.cwd);
    const counts = Object.entries(imported.counts)
      .map(([state, count]) => `${count} ${state}`)
      .join(", ");
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ ok: true, ledger: ledger.location, ...imported }, null, 2)}\n`
        : `Imported ${imported.recorded} recipients of ${imported.journal} into ${ledger.location} ` +
            `(target ${imported.target}, NKI ${imported.nki}, round "${imported.round}"): ${counts || "none"}.` +
            `${imported.notAttempted ? ` ${imported.notAttempted} were never attempted and are not recorded.` : ""}\n`,
    );
    return ExitCode.ok;
  } finally {
    await ledger.close();
  }
}

function stateOf(text: string): TextState {
  const state = text.trim() as TextState;
  if (!STATES.includes(state)) throw new CliError(`--state: "${text}" is not one of ${STATES.join(", ")}.`);
  return state;
}

function keyFilter(values: { nki?: string | undefined; round?: string | undefined; target?: string | undefined }) {
  const nki = values.nki === undefined ? undefined : Number(values.nki);
  if (nki !== undefined && !Number.isSafeInteger(nki))
    throw new CliError(`--nki: "${values.nki}" is not a whole number.`);
  return {
    ...(nki !== undefined ? { nki } : {}),
    ...(values.round !== undefined ? { round: values.round } : {}),
    ...(values.target !== undefined ? { target: values.target } : {}),
  };
}

function textLine(entry: TextEntry): string {
  const who = [entry.name, entry.line === undefined ? "" : `line ${entry.line}`].filter(Boolean).join(", ");
  const ip1 = entry.ip1?.id
    ? `, IP1 ID ${entry.ip1.id}${entry.ip1.bundleId ? ` BundleID ${entry.ip1.bundleId}` : ""}`
    : "";
  return (
    `${entry.phone}${who ? ` (${who})` : ""}: ${entry.state}, NKI ${entry.nki}, round "${entry.round}", ` +
    `${entry.target}, ${entry.updatedAt}${ip1}${entry.error ? `; ${entry.error}` : ""}${entry.note ? `; note: ${entry.note}` : ""}`
  );
}

const CSV_COLUMNS = [
  "state",
  "phone",
  "name",
  "line",
  "target",
  "nki",
  "round",
  "ip1Id",
  "ip1BundleId",
  "ip1Status",
  "attempts",
  "claimedAt",
  "updatedAt",
  "error",
  "note",
] as const;

function csvRow(entry: TextEntry): string {
  const cells = [
    entry.state,
    entry.phone,
    entry.name,
    entry.line,
    entry.target,
    entry.nki,
    entry.round,
    entry.ip1?.id,
    entry.ip1?.bundleId,
    entry.ip1?.status,
    entry.attempts,
    entry.claimedAt,
    entry.updatedAt,
    entry.error,
    entry.note,
  ];
  return cells.map((cell) => csvCell(cell === undefined ? "" : String(cell))).join(",");
}

/** Quoted when needed; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function csvCell(text: string): string {
  const safe = /^[=+\-@]/.test(text) && !/^\+\d+$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
