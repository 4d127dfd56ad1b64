// Turns `ip1-nki send …` arguments into SendOptions; every mistake becomes a CliError (exit 2) naming the option.
import { parseArgs } from "node:util";
import { LONGEST_ROUND, LONGEST_TIMEOUT_MS } from "../client-options.js";
import { DEFAULTS, isPhoneCountry, type PhoneCountry } from "../index.js";
import { LARGEST_CHUNK_SIZE } from "../policy.js";
import { CliError } from "./cli-error.js";
import { recipientFields } from "./recipient-fields.js";

/** More parallel requests than this buys nothing from one API account and only risks 429s. */
export const MAX_CONCURRENCY = 8;

export interface Price {
  /** Price of one SMS segment, as given. */
  perSegment: number;
  /** Decimals to print totals with: at least 2, or as many as the user gave. */
  decimals: number;
  /** Currency label to print after amounts, if the user gave one. */
  currency?: string;
}

export interface SendOptions {
  /** The NKI (survey) id, `--nki`. */
  nki: number;
  /** Sender name or number, `--from`. */
  from: string;
  /** The SMS text, `--message`; the same for every recipient. */
  message: string;
  /** Each `--to Phone[,FirstName[,LastName[,Email]]]`, unparsed. */
  to: string[];
  /** `--users`: path of a CSV of recipients. */
  users?: string;
  /** Each `--column Field=Header`: the CSV header (trimmed, lower case) → the recipient field it holds. */
  columns: ReadonlyMap<string, string>;
  /** `--email`: also send SMS copies by email, to recipients with an Email. */
  email: boolean;
  /** `--json`: one JSON document on stdout instead of text. */
  json: boolean;
  /** `--dry-run`: validate and estimate, send nothing. */
  dryRun: boolean;
  /** `--price-per-segment` (and `--currency`): for the estimate. */
  price?: Price;
  /** `--skip-invalid`: send the valid rows and report the others, instead of sending nothing. */
  skipInvalid: boolean;
  /** `--skip-duplicates`: send the first row of each phone and report the later ones, instead of sending nothing. */
  skipDuplicates: boolean;
  /** `--default-country`: the country of phone numbers written without a country code. */
  defaultCountry?: PhoneCountry;
  /** `--concurrency`: requests in flight at once. */
  concurrency: number;
  /** `--chunk-size`: recipients per request, at most 1000. */
  chunkSize: number;
  /**
   * `--ledger PATH|postgres://…`: the send ledger, else env IP1_NKI_LEDGER, else one SQLite file per user under the
   * XDG state directory (see the library's openLedger). With --mock and no --ledger, a ledger in memory.
   */
  ledger?: string;
  /** `--round NAME`: the survey round the texts belong to; each person is texted once per round. Default "default". */
  round: string;
  /** `--force`: also text recipients the ledger holds as in flight or unknown (they may have been texted). */
  force: boolean;
  /** `--send-again`: also text recipients the ledger holds as sent in this round: a deliberate second text. */
  sendAgain: boolean;
  /** `--mock`: send to the package's simulator (ip1-nki mock) with fake credentials. */
  mock: boolean;
  /** `--base-url`, else the env variable IP1_BASE_URL. */
  baseUrl?: string;
  /** `--timeout-ms`: per request. */
  timeoutMs?: number;
}

const sendOptionSpec = {
  nki: { type: "string" },
  from: { type: "string" },
  message: { type: "string" },
  to: { type: "string", multiple: true },
  users: { type: "string" },
  column: { type: "string", multiple: true },
  email: { type: "boolean" },
  json: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "price-per-segment": { type: "string" },
  currency: { type: "string" },
  "skip-invalid": { type: "boolean" },
  "skip-duplicates": { type: "boolean" },
  "default-country": { type: "string" },
  concurrency: { type: "string" },
  "chunk-size": { type: "string" },
  ledger: { type: "string" },
  round: { type: "string" },
  // 0.2.0's: --journal is refused with a pointer to --ledger; --resume is accepted, as a plain run resumes now.
  journal: { type: "string" },
  resume: { type: "boolean" },
  force: { type: "boolean" },
  "send-again": { type: "boolean" },
  mock: { type: "boolean" },
  "base-url": { type: "string" },
  "timeout-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export type ParsedSendArgs = { help: true } | { help: false; options: SendOptions };

export function parseSendArgs(argv: readonly string[]): ParsedSendArgs {
  const { values, positionals, resumeJournal } = parseStrict(argv);
  if (values.help) return { help: true };
  if (positionals.length > 0) {
    throw new CliError(`Unexpected argument "${positionals[0]}". Quote a message that has spaces: --message "…".`);
  }
  const nki = required(values.nki, "--nki", "the NKI (survey) id, for example --nki 42");
  const from = required(values.from, "--from", "the sender, for example --from Acme");
  const message = required(values.message, "--message", 'the SMS text, for example --message "Tack för besöket!"');
  const to = values.to ?? [];
  if (to.length === 0 && values.users === undefined) {
    throw new CliError("Give the recipients: --users users.csv, or one or more --to +46701234567,Anna.");
  }
  if (to.length > 0 && values.users !== undefined) {
    throw new CliError("Give the recipients either with --users or with --to, not both.");
  }
  if (values.column !== undefined && values.users === undefined) {
    throw new CliError("--column maps a CSV header to a recipient field, so it needs --users.");
  }
  if (values.currency !== undefined && values["price-per-segment"] === undefined) {
    throw new CliError("--currency needs --price-per-segment.");
  }
  if (values.journal !== undefined || resumeJournal !== undefined) {
    throw new CliError(
      `${values.journal !== undefined ? "--journal" : "--resume FILE"}: the 0.2.0 journal is replaced by the send ledger. ` +
        "Running the same command again is the resume now (the ledger refuses whoever it holds as texted). Bring the " +
        "journal's history into the ledger once with: ip1-nki ledger import FILE.jsonl --users … (the job's options), " +
        "and choose a ledger with --ledger PATH if not the default.",
    );
  }
  if (values["dry-run"] && (values.resume || values.mock || values["send-again"] || values.force)) {
    throw new CliError("--dry-run sends nothing, so --resume, --send-again, --force and --mock do not apply.");
  }
  const round = values.round ?? DEFAULTS.round;
  if (round.trim() === "" || round.length > LONGEST_ROUND) {
    throw new CliError(
      `--round: give a name of 1 to ${LONGEST_ROUND} characters (a campaign or ticket id), not "${round}".`,
    );
  }
  return {
    help: false,
    options: {
      nki: integer(nki, "--nki", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      from,
      message,
      to,
      users: values.users,
      columns: columnMap(values.column ?? []),
      email: values.email ?? false,
      json: values.json ?? false,
      dryRun: values["dry-run"] ?? false,
      price: price(values["price-per-segment"], values.currency),
      skipInvalid: values["skip-invalid"] ?? false,
      skipDuplicates: values["skip-duplicates"] ?? false,
      defaultCountry: country(values["default-country"]),
      concurrency: optionalInteger(values.concurrency, "--concurrency", 1, MAX_CONCURRENCY) ?? DEFAULTS.concurrency,
      chunkSize: optionalInteger(values["chunk-size"], "--chunk-size", 1, LARGEST_CHUNK_SIZE) ?? DEFAULTS.chunkSize,
      ledger: values.ledger,
      round,
      force: values.force ?? false,
      sendAgain: values["send-again"] ?? false,
      mock: values.mock ?? false,
      baseUrl: values["base-url"],
      timeoutMs: optionalInteger(values["timeout-ms"], "--timeout-ms", 1, LONGEST_TIMEOUT_MS),
    },
  };
}

/** Parses strictly; `--resume FILE` (0.2.0's way to name a journal) is found, to be refused with a pointer. */
function parseStrict(argv: readonly string[]) {
  let parsed: ReturnType<typeof parseWithTokens>;
  try {
    parsed = parseWithTokens(argv);
  } catch (error) {
    // node:util's messages name the option and the problem; they only need our hint to --help.
    throw new CliError(`${(error as Error).message.split("\n")[0]} (see ip1-nki send --help)`);
  }
  const { values, positionals, tokens } = parsed;
  const resumeAt = tokens.findIndex((token) => token.kind === "option" && token.name === "resume");
  const next = tokens[resumeAt + 1];
  if (resumeAt < 0 || next?.kind !== "positional") return { values, positionals, resumeJournal: undefined };
  const taken = tokens.slice(0, resumeAt + 1).filter((token) => token.kind === "positional").length;
  return { values, positionals: positionals.filter((_, i) => i !== taken), resumeJournal: next.value };
}

function parseWithTokens(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: sendOptionSpec, allowPositionals: true, strict: true, tokens: true });
}

/** `--column Phone=Telefon`, each naming a recipient field (any case) and the CSV header that holds it. */
function columnMap(given: readonly string[]): Map<string, string> {
  const fields = recipientFields().map((field) => field.name);
  const map = new Map<string, string>();
  const mappedFields = new Set<string>();
  for (const text of given) {
    const equals = text.indexOf("=");
    const fieldText = text.slice(0, equals).trim();
    const header = text.slice(equals + 1).trim();
    const field = fields.find((name) => name.toLowerCase() === fieldText.toLowerCase());
    if (equals < 0 || header === "" || field === undefined) {
      throw new CliError(
        `--column "${text}": give FIELD=HEADER, where FIELD is one of ${fields.join(", ")} and HEADER is the CSV header, for example --column Phone=Telefon.`,
      );
    }
    const key = header.toLowerCase();
    if (map.has(key)) throw new CliError(`--column: the header "${header}" is mapped twice.`);
    if (mappedFields.has(field)) throw new CliError(`--column: ${field} is mapped twice.`);
    map.set(key, field);
    mappedFields.add(field);
  }
  return map;
}

function country(code: string | undefined): PhoneCountry | undefined {
  if (code === undefined) return undefined;
  const upper = code.trim().toUpperCase();
  if (!isPhoneCountry(upper)) {
    throw new CliError(`--default-country: "${code}" is not a two-letter country code like SE or NO.`);
  }
  return upper;
}

function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined) throw new CliError(`${option} is required: ${what}.`);
  return value;
}

function integer(text: string, option: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new CliError(`${option}: "${text}" is not a whole number.`);
  if (value < min || value > max) throw new CliError(`${option}: must be from ${min} to ${max}, not ${value}.`);
  return value;
}

function optionalInteger(text: string | undefined, option: string, min: number, max: number): number | undefined {
  return text === undefined ? undefined : integer(text, option, min, max);
}

function price(perSegment: string | undefined, currency: string | undefined): Price | undefined {
  if (perSegment === undefined) return undefined;
  const match = /^\d+(?:\.(\d+))?$/.exec(perSegment.trim());
  if (!match) {
    throw new CliError(`--price-per-segment: "${perSegment}" is not a price; give a decimal number like 0.35.`);
  }
  if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency)) {
    throw new CliError(`--currency: "${currency}" is not a three-letter currency code like SEK or EUR.`);
  }
  return {
    perSegment: Number(perSegment),
    decimals: Math.max(2, match[1]?.length ?? 0),
    currency: currency?.toUpperCase(),
  };
}
