// The CLI as a function: run(argv, io) → exit code. The bin (main.ts) wires it to the process; tests call it directly.
import { VERSION } from "../version.js";
// Every ending goes through here: with --json exactly one JSON document is printed, usage errors and unexpected
// errors included, and once any request went out an error can never claim that nothing was sent (exit 3, not 2).
import { parseSendArgs } from "./args.js";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { mainHelp, sendHelp } from "./help.js";
import { ledgerHelp, runLedger } from "./ledger-command.js";
import { mockHelp, runMock } from "./mock-command.js";
import { createOutput } from "./output.js";
import { type CliIo, type RunState, runSend } from "./send.js";
import { runSettle } from "./settle.js";
import { runStatus } from "./status-command.js";

export type { CliIo } from "./send.js";

export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  // Known before parsing, so that even a usage error comes as JSON.
  const json = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : undefined).includes("--json");
  const output = createOutput(json, io.stdout, io.stderr);
  const state: RunState = io.state ?? { requestSent: false };
  // A second Ctrl-C before a send has its report (still reading, or opening the ledger): an ending all the same,
  // with its one JSON document. A send replaces this with its own report once it starts sending.
  state.reportNow = () => {
    const exitCode = state.requestSent ? ExitCode.unknown : ExitCode.usage;
    const what = state.requestSent
      ? "Stopped before the report, after requests went out: ip1-nki ledger lists what was recorded."
      : "Stopped before anything was sent.";
    output.error(new CliError(what), exitCode);
    return exitCode;
  };
  /** Help and the version: text, or with --json a document holding it. */
  const answer = (key: "help" | "version", text: string) => {
    io.stdout.write(json ? `${JSON.stringify({ ok: true, exitCode: ExitCode.ok, [key]: text }, null, 2)}\n` : text);
    return ExitCode.ok;
  };
  try {
    if (command === "--help" || command === "-h" || command === "help") {
      const help = { send: sendHelp(), mock: mockHelp, ledger: ledgerHelp }[rest[0] ?? ""] ?? mainHelp;
      return answer("help", help);
    }
    if (command === "--version" || command === "-v") return answer("version", `${VERSION}\n`);
    if (command === "mock") return await runMock(rest, io);
    if (command === "ledger") {
      if (rest.includes("--help") || rest.includes("-h")) return answer("help", ledgerHelp);
      return await runLedger(rest, io);
    }
    if (command === "settle") return await runSettle(rest, io);
    if (command === "status") return await runStatus(rest, io);
    if (command !== "send") {
      const problem = command === undefined ? "a command is required." : `unknown command "${command}".`;
      throw new CliError(json ? problem : `${problem}\n\n${mainHelp.trimEnd()}`);
    }
    const parsed = parseSendArgs(rest);
    if (parsed.help) return answer("help", sendHelp());
    return await runSend(parsed.options, io, output, state);
  } catch (error) {
    const cliError =
      error instanceof CliError
        ? error
        : new CliError(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, ExitCode.usage, [
            ...(error instanceof Error && error.stack && !json ? error.stack.split("\n").slice(1, 6) : []),
          ]);
    const exitCode = state.requestSent && cliError.exitCode === ExitCode.usage ? ExitCode.unknown : cliError.exitCode;
    output.error(cliError, exitCode);
    return exitCode;
  }
}
