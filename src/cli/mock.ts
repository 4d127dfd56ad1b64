// --mock: a Prism mock of the API on the package's own OpenAPI document, started for one run and stopped after it.
// Prism is a heavy dev dependency, so it is loaded only here, on demand.
import { existsSync } from "node:fs";
import { CliError } from "./cli-error.js";
import { openApiDocument } from "./package-files.js";

export interface MockServer {
  url: string;
  stop(): Promise<void>;
}

/** Fake credentials: the mock checks only that Authorization is well formed. */
export const MOCK_CREDENTIALS = { account: "ip1-00000", apiKey: "mock-api-key" } as const;

export async function startMock(): Promise<MockServer> {
  const spec = openApiDocument();
  if (!existsSync(spec)) throw new CliError(`--mock: the API description ${spec} is missing from the package.`);
  let prism: typeof import("../mock/prism.js");
  try {
    prism = await import("../mock/prism.js");
  } catch (error) {
    throw isPrismMissing(error) ? prismMissingError() : error;
  }
  return prism.startPrism(spec);
}

export function isPrismMissing(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    message.includes("@stoplight/prism-cli")
  );
}

export function prismMissingError(): CliError {
  return new CliError(
    "--mock needs the Prism mock server, which is not installed. Install it with " +
      "`npm install --save-dev @stoplight/prism-cli@5.14.2`, or send for real with IP1 credentials instead of --mock.",
  );
}
