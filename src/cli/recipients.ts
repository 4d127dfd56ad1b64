// Reads the recipients (from --to or a CSV) and checks each one with the library's validation, so every problem is
// reported where the user can fix it: a CSV line, or the --to that gave it.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { Ip1ValidationError, type NkiSendRequest, type NkiUser } from "../index.js";
import { assertValidSend } from "../validate.js";
import type { SendOptions } from "./args.js";
import { type CsvRow, readUsersCsv } from "./csv.js";
import { toFormat, toParts, userFromCells } from "./recipient-fields.js";

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

export interface Recipients {
  /** The valid recipients, in input order. */
  users: NkiUser[];
  /** The CSV line of each user (same index), for reports; absent for --to. */
  lines?: number[];
  /** Every problem of every invalid recipient. */
  problems: InputProblem[];
  /** How many recipients were invalid (a row can have several problems). */
  invalidCount: number;
  /** The CSV path as given, or "--to". */
  input: string;
  /** SHA-256 of the CSV's bytes, or of the --to values: what a resume checks. */
  inputSha256: string;
}

/** Everything in the request but the users. */
export type Envelope = Omit<NkiSendRequest, "Users">;

export function envelopeOf(options: SendOptions): Envelope {
  return { From: options.from, Message: options.message, ...(options.email ? { Email: true } : {}) };
}

const optionForPath: Record<string, string> = { nki: "--nki", From: "--from", Message: "--message", Email: "--email" };

/** Problems with --nki, --from, --message: checked once, not per recipient. */
export function envelopeProblems(nki: number, envelope: Envelope): InputProblem[] {
  return problemsOf(nki, { ...envelope, Users: [] })
    .filter((problem) => !problem.path.startsWith("Users"))
    .map((problem) => ({ where: optionForPath[problem.path] ?? problem.path, message: problem.message }));
}

export async function readRecipients(options: SendOptions, cwd: string): Promise<Recipients> {
  const envelope = envelopeOf(options);
  const recipients: Recipients = {
    users: [],
    problems: [],
    invalidCount: 0,
    input: options.users ?? "--to",
    inputSha256: "",
  };
  const add = (user: NkiUser, where: string, line?: number) => {
    const problems = userProblems(options.nki, envelope, user);
    if (problems.length === 0) {
      recipients.users.push(user);
      if (line !== undefined) recipients.lines?.push(line);
      return;
    }
    recipients.invalidCount++;
    for (const { field, message } of problems) {
      // --to +46701234567 alone is the likeliest way to miss a field the API requires: show where it goes.
      const hint = line === undefined && message === "is required" ? ` (--to takes ${toFormat()})` : "";
      recipients.problems.push({ where, line, field, message: message + hint });
    }
  };

  if (options.users !== undefined) {
    const path = options.users;
    recipients.lines = [];
    const digest = await readUsersCsv(
      resolve(cwd, path),
      (row: CsvRow) => {
        if (row.problem) {
          recipients.invalidCount++;
          recipients.problems.push({ where: `${path}:${row.line}`, line: row.line, message: row.problem });
        } else add(userFromCells(row.fields), `${path}:${row.line}`, row.line);
      },
      path,
    );
    recipients.inputSha256 = digest.sha256;
  } else {
    options.to.forEach((value, index) => {
      const where = `--to #${index + 1} (${value})`;
      const user = parseTo(value);
      if (typeof user === "string") {
        recipients.invalidCount++;
        recipients.problems.push({ where, message: user });
      } else add(user, where);
    });
    recipients.inputSha256 = createHash("sha256").update(JSON.stringify(options.to)).digest("hex");
  }
  return recipients;
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

/** The problems of one user, as field + message (the library names them `Users[0].Phone`). */
function userProblems(nki: number, envelope: Envelope, user: NkiUser): { field?: string; message: string }[] {
  return problemsOf(nki, { ...envelope, Users: [user] })
    .filter((problem) => problem.path.startsWith("Users[0]"))
    .map((problem) => ({ field: problem.path.replace(/^Users\[0\]\.?/, "") || undefined, message: problem.message }));
}

function problemsOf(nki: number, body: NkiSendRequest) {
  try {
    assertValidSend(nki, body);
    return [];
  } catch (error) {
    if (error instanceof Ip1ValidationError) return error.problems;
    throw error;
  }
}

export function formatProblem(problem: InputProblem): string {
  return [problem.where, problem.field, problem.message].filter(Boolean).join(": ");
}
