// A one-line progress bar on stderr, drawn only when stderr is a terminal: a pipe or a log file gets nothing.

/** Where the CLI writes text: process.stdout/stderr, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown;
  /** Resolves once what was written has been handed on (a pipe's reader caught up), or the stream failed. */
  drained?(): Promise<void>;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Redraws with `recipients` of the total and `chunks` of the total finished. */
  update(recipients: number, chunks: number): void;
  /** Clears the bar so the report that follows starts on a clean line. */
  done(): void;
}

const noProgress: Progress = { update() {}, done() {} };

export function createProgress(stream: TextSink, totalRecipients: number, totalChunks: number): Progress {
  if (!stream.isTTY || totalChunks === 0) return noProgress;
  const draw = (recipients: number, chunks: number) => {
    const counts = ` ${recipients}/${totalRecipients} recipients, ${chunks}/${totalChunks} chunks`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - counts.length - 3));
    const filled = Math.round((width * recipients) / Math.max(1, totalRecipients));
    stream.write(`\r\x1b[K[${"#".repeat(filled)}${"-".repeat(width - filled)}]${counts}`);
  };
  draw(0, 0);
  return {
    update: draw,
    done: () => stream.write("\r\x1b[K"),
  };
}
