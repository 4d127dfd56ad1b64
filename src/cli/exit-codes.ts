// The CLI's exit codes, in one place, so --help, the README and the code cannot disagree.

export const ExitCode = {
  /** Every recipient's message was accepted (or, for --dry-run, everything is valid). */
  ok: 0,
  /** Some recipients failed (a 200 with failed Statuses, or a chunk the API refused) or were not sent (a stopped run). */
  someFailed: 1,
  /** Usage or validation error: nothing was sent. */
  usage: 2,
  /** The outcome of at least one chunk is unknown: it may or may not have been sent. */
  unknown: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The lines --help prints under "Exit codes". */
export const exitCodeHelp = `Exit codes:
  0  every recipient was sent (for --dry-run: everything is valid)
  1  some recipients failed (a failed Status in a 200 answer, or a chunk the API refused) or were not sent
  2  usage or validation error; nothing was sent
  3  the outcome of some chunk is unknown (timeout, reset or 5xx): check before resending`;
