// The CLI's exit codes and what each promises, in one table: --help, the text report and the JSON document all read
// it, so they cannot disagree (the README's CLI section follows it).

export const ExitCode = {
  ok: 0,
  someFailed: 1,
  usage: 2,
  unknown: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What the user can rely on after each exit code. */
export const exitCodeMeaning: Record<ExitCode, string> = {
  0: "all sent: the ledger holds every recipient as sent in this round, by this run or an earlier one (for --dry-run: everything is valid)",
  1: "finished, and nothing is unknown, but not everyone was texted: some recipients failed, got no record, were refused by IP1 or were not sent yet (run the same command again to send those)",
  2: "this run texted nobody: a usage or validation error, an unusable ledger, or a refusal (the ledger holds every recipient it did not send as already texted in this round)",
  3: "unknown: some recipients may or may not have been texted (a timeout, a 5xx, a 3xx, a dropped connection, a run that died or was stopped mid-request, or the ledger holds them as in flight or unknown); check in IP1's portal and settle them before any --force",
};

/** The lines --help prints under "Exit codes". */
export const exitCodeHelp = `Exit codes:\n${Object.entries(exitCodeMeaning)
  .map(([code, meaning]) => `  ${code}  ${meaning}`)
  .join("\n")}`;
