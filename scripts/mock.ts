// `npm run mock`: the package's simulator of IP1 (what `ip1-nki mock` runs) on PORT, for trying the client or the
// CLI by hand. Prism stays the oracle of the project's own contract tests (test/global-setup.ts), not this.
import { DEFAULT_MOCK_PORT, runMock } from "../src/cli/mock-command.js";
import { runIfMain } from "./lib/project.js";

export { DEFAULT_MOCK_PORT };

/** The port from env PORT, else the default; anything but a whole number from 1 to 65535 is an error. */
export function mockPort(env: NodeJS.ProcessEnv): number {
  if (env.PORT === undefined || env.PORT === "") return DEFAULT_MOCK_PORT;
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT must be a whole number from 1 to 65535, not "${env.PORT}".`);
  }
  return port;
}

runIfMain(
  import.meta.url,
  `
Usage: npm run mock            (or: PORT=8080 npm run mock)
Runs the simulated IP1 API (ip1-nki mock) at 127.0.0.1:${DEFAULT_MOCK_PORT}, or on env PORT, until Ctrl-C (SIGINT)
or SIGTERM.`,
  async () => {
    const stop = new AbortController();
    process.once("SIGINT", () => stop.abort());
    return runMock(["--port", String(mockPort(process.env))], {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      stop: stop.signal,
    });
  },
);
