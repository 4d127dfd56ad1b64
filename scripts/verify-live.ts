// `npm run verify:live`: checks our spec against the real API through a Prism proxy (the usage below says how). It
// texts a real person, so it asks first; without credentials it sends nothing.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import {
  type ValidationProblem,
  validateSendNkiToUsersBody,
  validateSendNkiToUsersPathParams,
} from "../generated/validators.js";
import { assertCredentialSafeUrl, resolveAuthorization } from "../src/auth.js";
import { createIp1Client, Ip1ApiError, type Ip1Client, Ip1Error, type OutgoingSms, summarize } from "../src/index.js";
import { startPrism } from "../test/support/prism.js";
import { fromRoot, generatedFiles, runIfMain } from "./lib/project.js";

const usage = `
Usage: npm run verify:live -- --to +46701234567 --nki 42 [--from NAME] [--message TEXT] [--first-name NAME]
         [--check-line-break] [--yes]

Sends ONE real NKI survey by SMS to --to, through a Prism proxy (prism proxy --errors) in front of the real API, and
reports every place where the request or IP1's answer breaks the spec (${generatedFiles.bundle}).

  --to          the phone number to text (E.164, for example +46701234567); required
  --nki         the NKI id to send; required
  --from        the sender (up to 11 ASCII letters and digits, or up to 15 digits); default "ip1nki"
  --message     the SMS text; default a short note that this is a spec check
  --first-name  the recipient's first name; default "Test"
  --yes         send without asking (it texts a real person, and IP1 charges for it)
  --check-line-break
                also send a SECOND text whose message has a line break, and report what IP1's log makes of it

After the send, IP1's sent log is read (GET /api/sms/sent/{id}, /bundle/{bundle}, /api/sms/sent?to=…), to check
the spec's inferences: that an NKI send appears in it with the same ID and BundleID (settle depends on it), and
whether IP1 filters by "to=…" or by "to[0]=…" (the help page's spelling). A refuted inference is exit 1.

Environment:
  IP1_ACCOUNT + IP1_API_KEY (Basic auth), or IP1_TOKEN (Bearer): required; without them nothing is sent.
  IP1_BASE_URL: the API to check; default https://api.ip1sms.com.

Exit codes: 0 the request and the answer match the spec; 1 spec violations (listed), or the send failed;
2 nothing was sent (missing credentials, bad arguments, not confirmed); 3 IP1 answered an error the spec documents
(400, 401, 403), so nothing broke the spec but the send was not accepted.`;

export const EXIT = { conforms: 0, violations: 1, notSent: 2, documentedError: 3 } as const;
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** One spec violation, as Prism reports it in `sl-violations` or in a problem+json `validation` list. */
interface Violation {
  location: string[];
  code?: string | number;
  message: string;
}

/** Where the script reads its settings and writes its report; a test passes its own. */
export interface VerifyLiveIo {
  env: NodeJS.ProcessEnv;
  /** One line of the report. */
  out(line: string): void;
  /** One line of a problem. */
  err(line: string): void;
  /** Asks the user a question and resolves to the answer; absent when there is nobody to ask (no terminal). */
  ask?: (question: string) => Promise<string>;
  /** The waits before each read of the sent log while the text is not in it yet. Default: {@link LOG_WAITS_MS}. */
  logWaitsMs?: readonly number[];
}

async function askOnTerminal(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  return prompt.question(question).finally(() => prompt.close());
}

const processIo: VerifyLiveIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  ask: process.stdin.isTTY ? askOnTerminal : undefined,
};

type Arguments = Exclude<ReturnType<typeof parse>, string>;

function parse(args: string[]) {
  try {
    const { values } = parseArgs({
      args,
      options: {
        to: { type: "string" },
        nki: { type: "string" },
        from: { type: "string", default: "ip1nki" },
        message: { type: "string", default: "ip1-nki spec check: please ignore this message." },
        "first-name": { type: "string", default: "Test" },
        yes: { type: "boolean", default: false },
        "check-line-break": { type: "boolean", default: false },
      },
    });
    if (!values.to) return "--to is required: the phone number to text, for example --to +46701234567.";
    if (!values.nki || !/^-?\d+$/.test(values.nki)) return "--nki is required: a whole number, for example --nki 42.";
    return { ...values, to: values.to, nki: Number(values.nki) };
  } catch (error) {
    return (error as Error).message;
  }
}

/** The send verify:live makes, with `Message`. */
const sendOf = (args: Arguments, Message: string) => ({
  Users: [{ FirstName: args["first-name"], Phone: args.to }],
  From: args.from,
  Message,
});

/** The input problems the generated validators find, one line each; empty when the send is valid. */
function inputProblems(nki: number, body: unknown): string[] {
  const problems: ValidationProblem[] = [];
  if (!validateSendNkiToUsersPathParams({ nki })) problems.push(...(validateSendNkiToUsersPathParams.errors ?? []));
  if (!validateSendNkiToUsersBody(body)) problems.push(...(validateSendNkiToUsersBody.errors ?? []));
  return problems.map((problem) => `${problem.instancePath || "/"} ${problem.message ?? problem.keyword}`);
}

async function confirmed(args: Arguments, upstream: string, ask: VerifyLiveIo["ask"]): Promise<boolean> {
  if (args.yes) return true;
  if (!ask) return false;
  const texts = args["check-line-break"] ? "two real SMS" : "a real SMS";
  const answer = await ask(
    `This sends ${texts} to ${args.to} through ${upstream}, and IP1 charges for it. Type "yes" to send: `,
  );
  return answer.trim().toLowerCase() === "yes";
}

/** Violations from the `sl-violations` header and, for Prism's own problem+json answers, from the body. */
function violationsOf(headers: Headers | undefined, body: unknown): Violation[] {
  const fromHeader = headers?.get("sl-violations");
  const listed = fromHeader ? (JSON.parse(fromHeader) as Violation[]) : [];
  const fromBody = (body as { validation?: unknown } | null)?.validation;
  const all = [...listed, ...(Array.isArray(fromBody) ? (fromBody as Violation[]) : [])];
  const byPlaceAndMessage = new Map(all.map((v) => [`${v.location.join(".")}|${v.message}`, v]));
  return [...byPlaceAndMessage.values()];
}

export async function verifyLive(argv: string[], io: VerifyLiveIo = processIo): Promise<number> {
  const { env, out, err: fail } = io;
  const args = parse(argv);
  if (typeof args === "string") {
    fail(`${args}\nRun with --help for usage. Nothing was sent.`);
    return EXIT.notSent;
  }
  const upstream = env.IP1_BASE_URL || "https://api.ip1sms.com";
  try {
    resolveAuthorization({}, env);
    // Prism forwards the credentials upstream, so the client's https rule must hold for the upstream too.
    assertCredentialSafeUrl(upstream);
  } catch (error) {
    fail(`verify:live: ${(error as Error).message}\nNothing was sent.`);
    return EXIT.notSent;
  }
  const body = sendOf(args, args.message);
  const problems = inputProblems(args.nki, body);
  if (problems.length > 0) {
    fail(`verify:live: the send is invalid, so nothing was sent:\n  ${problems.join("\n  ")}`);
    return EXIT.notSent;
  }
  if (!(await confirmed(args, upstream, io.ask))) {
    fail("verify:live: not confirmed (pass --yes, or answer yes at the prompt). Nothing was sent.");
    return EXIT.notSent;
  }

  // Prism runs in its own process group, so Ctrl-C does not reach it: stop it here, even mid start-up.
  const stopping = new AbortController();
  const stop = () => stopping.abort(new Error("interrupted"));
  for (const signal of SIGNALS) process.once(signal, stop);
  const prism = await startPrism(fromRoot(generatedFiles.bundle), {
    mode: { proxy: upstream },
    signal: stopping.signal,
  });
  let answer: Response | undefined;
  const lastViolations = () => violationsOf(answer?.headers, undefined);
  try {
    // Never resend: this texts a real person, and a retry could text them twice.
    const client = createIp1Client({
      baseUrl: prism.url,
      maxRetries: 0,
      env,
      fetch: async (request) => {
        answer = await fetch(request);
        return answer;
      },
    });
    out(`verify:live: Prism proxy (pid ${prism.pid}) on ${prism.url} in front of ${upstream}`);
    out(`verify:live: sending NKI ${args.nki} to ${args.to}`);
    const messages = await client.sendNki(args.nki, body, { signal: stopping.signal });
    const violations = lastViolations();
    const summary = summarize(messages);
    out(
      `verify:live: IP1 answered ${answer?.status} with ${summary.total} record(s): ${summary.delivered.length} delivered, ` +
        `${summary.inTransit.length} in transit, ${summary.failed.length} failed, ${summary.unknown.length} unknown status`,
    );
    const log = await checkSentLog(client, messages, args, io, stopping.signal, lastViolations);
    violations.push(...log.violations);
    const code = report(violations, EXIT.conforms, out);
    return code === EXIT.conforms && log.refuted ? EXIT.violations : code;
  } catch (error) {
    if (error instanceof Ip1ApiError) {
      out(`verify:live: ${error.message}`);
      const code = error.outcome === "not-sent" ? EXIT.documentedError : EXIT.violations;
      return report(violationsOf(error.headers, error.body), code, out);
    }
    fail(`verify:live: ${error instanceof Ip1Error ? error.message : String(error)}`);
    return EXIT.violations;
  } finally {
    for (const signal of SIGNALS) process.off(signal, stop);
    await prism.stop();
  }
}

/** How long the sent log gets to show a text just sent: IP1 does not say, so a few growing waits (15 s in all). */
export const LOG_WAITS_MS = [0, 1_000, 2_000, 4_000, 8_000];

/** Reads the sent log through the proxy, Prism checking each answer; `refuted`: an inference the client needs fails. */
async function checkSentLog(
  client: Ip1Client,
  messages: OutgoingSms[],
  args: Arguments,
  io: VerifyLiveIo,
  signal: AbortSignal,
  lastViolations: () => Violation[],
): Promise<{ violations: Violation[]; refuted: boolean }> {
  const { out, logWaitsMs = LOG_WAITS_MS } = io;
  const violations: Violation[] = [];
  const read = async <T>(call: () => Promise<T>) => {
    const result = await call();
    violations.push(...lastViolations());
    return result;
  };
  const [sent] = messages;
  if (sent?.ID === undefined || sent.ID === null) {
    out("verify:live: sent log: the send's record has no ID, so the log cannot be checked.");
    return { violations, refuted: true };
  }
  let refuted = false;
  const verdict = (holds: boolean, what: string) => {
    out(`verify:live: sent log: ${holds ? "confirmed" : "REFUTED"}: ${what}`);
    if (!holds) refuted = true;
  };
  let logged: Awaited<ReturnType<Ip1Client["getSentSms"]>> | undefined;
  for (const waitMs of logWaitsMs) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    try {
      logged = await read(() => client.getSentSms(sent.ID as number, { signal }));
      break;
    } catch (error) {
      if (!(error instanceof Ip1ApiError && error.status === 404)) throw error;
    }
  }
  verdict(logged !== undefined, `the NKI send's ID ${sent.ID} is in IP1's log (GET /api/sms/sent/{id})`);
  if (!logged) return { violations, refuted };
  verdict(
    logged.BundleID === sent.BundleID,
    `the log's BundleID (${logged.BundleID}) is the send's (${sent.BundleID})`,
  );
  out(
    `verify:live: sent log: Status ${logged.Status} (${logged.StatusDescription ?? "no description"}), To ${logged.To}`,
  );
  if (typeof sent.BundleID === "number") {
    const bundle = await read(() => client.listSentSmsInBundle(sent.BundleID as number, { signal }));
    verdict(
      bundle.some((record) => record.ID === sent.ID),
      `the text is listed in its bundle ${sent.BundleID}`,
    );
  }
  const byRepeated = await read(() => client.searchSentSms({ to: [args.to] }, { signal }));
  verdict(
    byRepeated.some((record) => record.ID === sent.ID),
    `GET /api/sms/sent?to=${args.to} (the spec's spelling) lists the text`,
  );
  // The help page's spelling, which OpenAPI cannot state: sent raw, through the same proxy and credentials.
  const indexed = await client.raw.GET("/api/sms/sent", {
    querySerializer: () => `to%5B0%5D=${encodeURIComponent(args.to)}`,
    signal,
  });
  const indexedList = Array.isArray(indexed.data) ? indexed.data : [];
  out(
    `verify:live: sent log: GET /api/sms/sent?to[0]=${args.to} ${indexedList.some((r) => r.ID === sent.ID) ? "lists" : "does not list"} the text`,
  );
  const digits = (phone: string) => phone.replace(/\D/g, "").replace(/^00/, "");
  const unfiltered = byRepeated.filter((record) => record.To !== undefined && digits(record.To) !== digits(args.to));
  out(
    unfiltered.length === 0
      ? "verify:live: sent log: the to filter held back every other recipient's texts"
      : `verify:live: sent log: the to filter let ${unfiltered.length} other recipient(s)' texts through: IP1 ignores it, so the client must filter`,
  );
  if (args["check-line-break"]) await checkLineBreak(client, args, out, signal);
  return { violations, refuted };
}

// Sends a second text whose Message has a line break (the client's policy allows LF and CR, GSM 03.38 characters),
// and reports how IP1's answer and its log show it: kept, or turned into CRLF.
async function checkLineBreak(client: Ip1Client, args: Arguments, out: VerifyLiveIo["out"], signal: AbortSignal) {
  const message = "ip1-nki spec check, line one\nline two: please ignore this message.";
  const { data } = await client.raw.POST("/api/nkis/{nki}/users/send", {
    params: { path: { nki: args.nki } },
    body: sendOf(args, message),
    signal,
  });
  const answered = Array.isArray(data) ? data[0] : undefined;
  out(`verify:live: line break: the send's record shows the message as ${JSON.stringify(answered?.Message)}`);
  if (answered?.ID === undefined || answered.ID === null) return;
  const logged = await client.getSentSms(answered.ID, { signal }).catch(() => undefined);
  const shown = logged?.Message;
  const becomes =
    shown === undefined
      ? "not readable in the log"
      : shown === message
        ? "kept as \\n"
        : shown.includes("\r\n")
          ? "turned into \\r\\n"
          : `changed: ${JSON.stringify(shown)}`;
  out(`verify:live: line break: a \\n in Message is ${becomes} in IP1's log`);
}

// A note for each violated field the spec marks "**Contested.**" (read from the bundle, so later marks count too).
function contestedNotes(violations: Violation[]): string[] {
  const bundle = JSON.parse(readFileSync(fromRoot(generatedFiles.bundle), "utf8"));
  const fields = bundle.components.schemas.OutgoingSms.properties as Record<string, { description?: string }>;
  const contested = new Set(
    Object.keys(fields).filter((name) => String(fields[name]?.description).includes("**Contested.**")),
  );
  const named = violations
    .filter((violation) => violation.location[0] === "response")
    .map((violation) => violation.location.at(-1) ?? "")
    .filter((name) => contested.has(name));
  return [...new Set(named)].map(
    (name) =>
      `${name} is contested in the spec (see OutgoingSms.${name}: the seed says integer, IP1's C# client string), ` +
      "and IP1's answer does not match the spec's type: IP1 has settled it, so update the spec.",
  );
}

/** Prints the violations and returns the exit code: `withoutViolations` when there are none. */
function report(violations: Violation[], withoutViolations: number, out: VerifyLiveIo["out"]): number {
  if (violations.length === 0) {
    out(
      withoutViolations === EXIT.conforms
        ? `verify:live: no spec violations: the request and IP1's answer match ${generatedFiles.bundle}.`
        : "verify:live: Prism reported no spec violation, but the send did not succeed (see above).",
    );
    return withoutViolations;
  }
  out(`verify:live: ${violations.length} spec violation(s):`);
  for (const violation of violations) {
    const code = violation.code === undefined ? "" : ` [${violation.code}]`;
    out(`  ${violation.location.join(".")}: ${violation.message}${code}`);
  }
  for (const note of contestedNotes(violations)) out(`verify:live: ${note}`);
  return EXIT.violations;
}

runIfMain(import.meta.url, usage, (argv) => verifyLive(argv));
