// The CLI as a function: run(argv, io) → exit code. The bin (main.ts) wires it to the process; tests call it directly.
import { VERSION } from "../version.js";
import { parseSendArgs } from "./args.js";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { mainHelp, sendHelp } from "./help.js";
import { createOutput } from "./output.js";
import { type CliIo, runSend } from "./send.js";

export type { CliIo } from "./send.js";

export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(rest[0] === "send" ? sendHelp() : mainHelp);
    return ExitCode.ok;
  }
  if (command === "--version" || command === "-v") {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  if (command !== "send") {
    io.stderr.write(
      `${command === undefined ? "ip1-nki: a command is required." : `ip1-nki: unknown command "${command}".`}\n\n${mainHelp}`,
    );
    return ExitCode.usage;
  }
  let output = createOutput(false, io.stdout, io.stderr);
  try {
    const parsed = parseSendArgs(rest);
    if (parsed.help) {
      io.stdout.write(sendHelp());
      return ExitCode.ok;
    }
    output = createOutput(parsed.options.json, io.stdout, io.stderr);
    return await runSend(parsed.options, io, output);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    output.error(error);
    return error.exitCode;
  }
}
