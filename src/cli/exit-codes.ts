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
  0: "all sent: every recipient has a record from IP1 that did not fail (for --dry-run: everything is valid)",
  1: "finished, and nothing is unknown, but not everyone was texted: some recipients failed, got no record, were refused by IP1 or not sent yet",
  2: "this run sent nothing: a usage or validation error, or a refusal (the job's journal exists, is locked, or belongs to another job or target)",
  3: "unknown: some recipients may or may not have been texted (a timeout, a 5xx, a dropped connection, a run that died, or an error after requests went out); check before resending",
};

/** The lines --help prints under "Exit codes". */
export const exitCodeHelp = `Exit codes:\n${Object.entries(exitCodeMeaning)
  .map(([code, meaning]) => `  ${code}  ${meaning}`)
  .join("\n")}`;
