// `npm run mock`: a Prism mock of the API on generated/openapi.json, for trying the client or the CLI, and for
// contract tests in a user's own project. It answers with the spec's examples and validates every request.
import { MOCK_CREDENTIALS } from "../src/cli/mock.js";
import { startPrism } from "../src/mock/prism.js";
import { fromRoot, generatedFiles, runIfMain } from "./lib/project.js";

/** The port `npm run mock` listens on when env PORT is not set (Prism's own default). */
export const DEFAULT_MOCK_PORT = 4010;

/** The port from env PORT, else the default; anything but a whole number from 1 to 65535 is an error. */
export function mockPort(env: NodeJS.ProcessEnv): number {
  if (env.PORT === undefined || env.PORT === "") return DEFAULT_MOCK_PORT;
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT must be a whole number from 1 to 65535, not "${env.PORT}".`);
  }
  return port;
}

/** What to tell the user once the mock answers: where it is, and how to point the client and the CLI at it. */
export function mockBanner(url: string): string {
  const { account, apiKey } = MOCK_CREDENTIALS;
  return `
Prism mock of the IP1 NKI API on ${url} (from ${generatedFiles.bundle}). Ctrl-C stops it.
Any well-formed credentials pass; a missing or garbled Authorization gets a 401.

  Library:  createIp1Client({ baseUrl: "${url}", account: "${account}", apiKey: "${apiKey}" })
  CLI/env:  IP1_BASE_URL=${url} IP1_ACCOUNT=${account} IP1_API_KEY=${apiKey} npx ip1-nki send …
  Force an answer with a request header: "Prefer: code=403" (or 400, 401), "Prefer: dynamic=true" for random valid data.
`;
}

runIfMain(
  import.meta.url,
  `
Usage: npm run mock            (or: PORT=8080 npm run mock)
Runs a Prism mock of the API on ${generatedFiles.bundle} at 127.0.0.1:${DEFAULT_MOCK_PORT}, or on env PORT,
until Ctrl-C (SIGINT) or SIGTERM.`,
  async () => {
    // Prism runs in its own process group, so a terminal's Ctrl-C does not reach it: stop it here, by its group,
    // even when the signal comes while it is still starting.
    const stopping = new AbortController();
    const stop = () => stopping.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const prism = await startPrism(fromRoot(generatedFiles.bundle), {
      port: mockPort(process.env),
      signal: stopping.signal,
    });
    const stopPrism = () => void prism.stop();
    if (stopping.signal.aborted) stopPrism();
    else stopping.signal.addEventListener("abort", stopPrism);
    process.stdout.write(mockBanner(prism.url));
    const code = await prism.exited;
    if (stopping.signal.aborted) return 0;
    process.stderr.write(`Prism exited on its own (code ${code}).\n`);
    return 1;
  },
);
