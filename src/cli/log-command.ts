// What `ip1-nki settle` and `ip1-nki status` share: their common options (declared once, for parsing and --help),
// the ledger they read and write, and the client that reads IP1's sent log for the ledger's target.
import { parseArgs } from "node:util";
import { baseUrlOf, LONGEST_TIMEOUT_MS } from "../client-options.js";
import { canonicalTarget, createIp1Client, type Ip1Client, Ip1ConfigurationError, type Ledger } from "../index.js";
import { CliError } from "./cli-error.js";
import type { CommandIo } from "./io.js";
import { openCliLedger } from "./ledger-command.js";

/** The options both commands take, with their help lines. */
export const logOptionSpec = {
  ledger: {
    type: "string",
    help: "--ledger PATH|URL  the ledger (default: env IP1_NKI_LEDGER, else the user's default)",
  },
  "base-url": {
    type: "string",
    help: "--base-url URL     the API whose log is read (default: env IP1_BASE_URL, else IP1)",
  },
  nki: { type: "string", help: "--nki N            only texts of this NKI" },
  round: { type: "string", help: "--round R          only texts of this round" },
  "timeout-ms": { type: "string", help: "--timeout-ms N     per read of the log (default: the client's)" },
  json: { type: "boolean", help: "--json             one JSON document on stdout" },
  help: { type: "boolean", short: "h", help: "--help             this help" },
} as const;

export const logOptionHelp = Object.values(logOptionSpec)
  .map((option) => `  ${option.help}`)
  .join("\n");

type Spec = Record<string, { type: "string" | "boolean"; short?: string; help: string }>;

/** Parses `argv` against the common options and `own`; a usage error names the command's --help. */
export function parseLogArgs<S extends Spec>(command: string, argv: readonly string[], own: S) {
  const options = Object.fromEntries(
    Object.entries({ ...logOptionSpec, ...own }).map(([name, { help: _help, ...option }]) => [name, option]),
  );
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
    return parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]} (see ip1-nki ${command} --help)`);
  }
}

export interface LogContext {
  ledger: Ledger;
  client: Ip1Client;
  /** The ledger's target for the API read, and the NKI and round chosen: the texts a command works on. */
  filter: { target: string; nki?: number; round?: string };
  ledgerSpec: string | undefined;
}

/** Opens the ledger and the client named by the options; credentials come from the environment, as for send. */
export async function openLogContext(
  values: Record<string, string | boolean | undefined>,
  io: CommandIo,
): Promise<LogContext> {
  const { env } = io;
  const nki = values.nki === undefined ? undefined : whole(values.nki as string, "--nki", 2 ** 31 - 1);
  const timeoutMs =
    values["timeout-ms"] === undefined
      ? undefined
      : whole(values["timeout-ms"] as string, "--timeout-ms", LONGEST_TIMEOUT_MS);
  let client: Ip1Client;
  let baseUrl: string;
  try {
    // The library's base URL (--base-url, else IP1_BASE_URL, else its default) and credential rule, as for send.
    baseUrl = baseUrlOf({ baseUrl: values["base-url"] as string | undefined, env });
    client = createIp1Client({ baseUrl, env, timeoutMs });
  } catch (error) {
    if (error instanceof Ip1ConfigurationError) throw new CliError(`Cannot read IP1's log: ${error.message}`);
    throw error;
  }
  const ledgerSpec = values.ledger as string | undefined;
  const ledger = await openCliLedger(ledgerSpec, io);
  const round = values.round as string | undefined;
  return {
    ledger,
    client,
    filter: { target: canonicalTarget(baseUrl), ...(nki === undefined ? {} : { nki }), ...(round ? { round } : {}) },
    ledgerSpec,
  };
}

/** `90s`, `15m`, `48h`, `2d`, `500ms`, or plain milliseconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match?.[2] ?? "ms"] ?? 1;
  const ms = match ? Math.round(Number(match[1]) * unit) : Number.NaN;
  if (!(Number.isSafeInteger(ms) && ms >= 0)) {
    throw new CliError(`${option}: give a duration such as 90s, 15m, 48h or 2d, not "${text}".`);
  }
  return ms;
}

export function whole(text: string, option: string, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value <= max)) {
    throw new CliError(`${option}: must be a whole number from 0 to ${max}, not "${text}".`);
  }
  return value;
}

/** A duration for help texts, in the largest unit (up to hours) that divides it: 15m, 48h, 90s. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** An argument as a POSIX shell reads it back: quoted only when it must be. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
