// The process around a command, injected so that tests run the CLI in-process. In a file of its own so the commands
// can name it without importing each other.
import type { TextSink } from "./progress.js";

/** What every command reads and writes: its streams, its environment and its working directory. */
export interface CommandIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where IP1_ACCOUNT, IP1_API_KEY, IP1_TOKEN, IP1_BASE_URL, IP1_NKI_LEDGER and XDG_STATE_HOME are read from. */
  env: Record<string, string | undefined>;
  /** Relative paths (--users, --ledger) are resolved against this. */
  cwd: string;
}
