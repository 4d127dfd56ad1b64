// The --help texts: the one place the CLI's usage is written down (the README's CLI section follows it).
import { DEFAULTS } from "../index.js";
import { LARGEST_CHUNK_SIZE } from "../policy.js";
import { MAX_CONCURRENCY } from "./args.js";
import { exitCodeHelp } from "./exit-codes.js";
import { PHONE_FIELD, type RecipientField, recipientFields, toFormat } from "./recipient-fields.js";

export const mainHelp = `ip1-nki: send IP1 NKI customer-satisfaction surveys by SMS.

Usage:
  ip1-nki send [options]    send an NKI to recipients from --to or a CSV file (see ip1-nki send --help)
  ip1-nki mock [--port N]   run a simulated IP1 API on 127.0.0.1 until Ctrl-C (see ip1-nki mock --help)
  ip1-nki ledger [list]     list the send ledger's texts by state; ledger settle, ledger import (see --help)
  ip1-nki settle            settle the ledger's unknown texts from IP1's sent log (see ip1-nki settle --help)
  ip1-nki status            follow the ledger's sent texts to delivery (see ip1-nki status --help)
  ip1-nki --version         print the version
  ip1-nki --help            print this help

${exitCodeHelp}
`;

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

/** One line per recipient field, from the spec: name, required or optional, description, limit. */
const fieldLine = (field: RecipientField) =>
  `  ${field.name.padEnd(23)}  ${field.required ? "required" : "optional"}; ${field.description}` +
  `${field.maxLength === undefined ? "" : ` (at most ${field.maxLength} characters)`}`;

/** The `send` help. The recipient fields, what is required and --to's format come from the bundled spec. */
export function sendHelp(): string {
  const fields = recipientFields();
  const required = list(fields.filter((field) => field.required).map((field) => field.name));
  const requiredPlural = fields.filter((field) => field.required).length > 1 ? "are" : "is";
  const requiredAfterPhone = fields.filter((field) => field.required && field.name !== PHONE_FIELD).map((f) => f.name);
  return `Usage: ip1-nki send --nki ID --from SENDER --message TEXT (--users FILE.csv | --to RECIPIENT...) [options]

Sends NKI ID by SMS to every recipient, in chunks of at most ${LARGEST_CHUNK_SIZE} per request. Nothing is sent unless
every recipient is valid. IP1 has no idempotency key, so nothing is ever resent blindly: a send ledger (a database)
records every text by the person: the target (the API's origin), the NKI, the round and the phone in E.164. Each
chunk's recipients are claimed in it before their request, and their outcomes recorded after. Whoever it holds as
sent, in flight or unknown is not texted again, whatever the CSV's name, order or other fields, the directory, the
chunk size or the message; so the same command run again is the resume: it texts only those not texted yet.

Recipients:
  --users FILE.csv         a CSV file, as Excel and LibreOffice save it: separated by ",", ";" or tab (or as a
                           "sep=;" first line says); UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252
                           (the encoding and separator read are printed); LF or CRLF. A header row names its columns
                           (case and spaces around a name do not matter):
                           ${fields.map((field) => field.name).join(", ")} (any order; ${required} ${requiredPlural} required;
                           an empty cell counts as absent). Quote cells that hold the separator, quotes or newlines.
  --column FIELD=HEADER    read the CSV column HEADER as the recipient field FIELD, one of
                           ${fields.map((field) => field.name).join(", ")}; repeat for more, for example
                           --column ${PHONE_FIELD}=Telefon --column ${requiredAfterPhone[0] ?? PHONE_FIELD}=Förnamn
  --to ${toFormat()}
                           one recipient; repeat for more. ${
                             requiredAfterPhone.length === 0
                               ? "Only the phone is required."
                               : `${list(requiredAfterPhone)} ${requiredAfterPhone.length > 1 ? "are" : "is"} required by the API, so --to +46701234567
                           alone is an error.`
                           } Use --users for names with commas.

Recipient fields (the API's NkiUser; CSV columns and --to parts):
${fields.map(fieldLine).join("\n")}

Message:
  --nki ID                 the NKI (survey) id
  --from SENDER            sender: up to 11 printable ASCII characters (Acme, iP.1, Bolaget AB), or a phone number
                           of up to 15 digits (IP1's rule)
  --message TEXT           the SMS text, the same for every recipient; line breaks are fine (one character each)
  --email                  also send SMS copies by email to recipients that have an Email

Checking first:
  --dry-run                validate everything and send nothing; print the recipient count, the encoding and
                           segments per message and why (the characters that cost more), and the total segments
  --price-per-segment N    with --dry-run: also print the price (total segments x N)
  --currency CODE          the currency to print the price in, for example SEK or EUR
  --skip-invalid           send the valid recipients and report the invalid ones (which do not change the exit code)
                           instead of sending nothing
  --default-country CC     read phone numbers without a country code as numbers of CC (SE, NO, …); without it, every
                           phone must be international (+46…, 0046…). Phones are sent in E.164 form.
  --skip-duplicates        text each phone once, at its first row, and report the later rows; without it, a phone
                           that appears twice (after normalization) is an error naming both lines

Sending:
  IP1_ACCOUNT + IP1_API_KEY (Basic auth) or IP1_TOKEN (Bearer) in the environment give the credentials;
  IP1_BASE_URL or --base-url the API (default ${DEFAULTS.baseUrl}). Credentials are never printed.
  --mock                   send to the package's simulated IP1 instead (see ip1-nki mock), with fake credentials;
                           it answers per recipient. Without --mock, missing credentials are an error.
  --base-url URL           the API's base URL (http only for loopback hosts)
  --concurrency N          requests in flight at once, 1 to ${MAX_CONCURRENCY} (default ${DEFAULTS.concurrency})
  --chunk-size N           recipients per request, 1 to ${LARGEST_CHUNK_SIZE} (default ${DEFAULTS.chunkSize}, IP1's recommendation)
  --timeout-ms N           per request (default ${DEFAULTS.timeoutMs}); a timeout makes that chunk's outcome unknown
  --ledger PATH|URL        the send ledger: an SQLite file, or postgres://… shared by many machines (default: env
                           IP1_NKI_LEDGER, else $XDG_STATE_HOME/ip1-nki/ledger.sqlite, else
                           ~/.local/state/ip1-nki/ledger.sqlite; with --mock, one in memory).
                           See ip1-nki ledger --help.
  --round NAME             the survey round (default "${DEFAULTS.round}"): each person is texted once per target, NKI and
                           round; name a new round (a campaign or ticket id) to survey the same people again
  --send-again             also text the recipients the ledger holds as sent in this round (says how many)
  --force                  also text the recipients the ledger holds as in flight or unknown (lists them): only
                           once you have checked, for example in IP1's portal, that they were not texted
  --resume                 accepted for 0.2.0 scripts; it changes nothing, since every run resumes

Output:
  --json                   print one JSON document on stdout instead of text
  A progress bar shows on stderr when it is a terminal.

${exitCodeHelp}

Examples:
  ip1-nki send --nki 42 --from Acme --message "Hur nöjd är du?" --to +46701234567,Anna,Svensson --dry-run
  ip1-nki send --nki 42 --from Acme --message "Hur nöjd är du?" --users users.csv --mock
  ip1-nki send --nki 42 --from Acme --message "Hur nöjd är du?" --users kunder.csv --default-country SE \\
    --column ${PHONE_FIELD}=Telefon --dry-run
  ip1-nki send --nki 42 --from Acme --message "Hur nöjd är du?" --users users.csv --round 2026-12
`;
}
