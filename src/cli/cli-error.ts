// The CLI's one error: something the user must fix (usage, input, journal), with the exit code it ends the run with.
import { ExitCode } from "./exit-codes.js";

export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    /** Exit code the run ends with; usage and input problems are 2. */
    readonly exitCode: ExitCode = ExitCode.usage,
    /** Further lines printed after the message, for example every invalid row. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}
