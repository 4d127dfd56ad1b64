// `npm run docs`: docs/index.html by Redoc, its script inlined so it opens offline. Not committed (2.5 MB, nearly all
// Redoc): it is a pure function of generated/openapi.json, which is committed and checked for staleness.
import { performance } from "node:perf_hooks";
import { fromRoot, generatedFiles, runIfMain } from "./lib/project.js";
import { packageFile, runNodeScript } from "./lib/run-node.js";

/** Where `npm run docs` writes the page, relative to the root. */
export const DOCS_OUTPUT = "docs/index.html";

const redoclyCli = packageFile("@redocly/cli", "bin/cli.js");

/** Builds the reference page at `output` (absolute, or relative to the root); returns its absolute path. */
export async function buildDocs(output = DOCS_OUTPUT): Promise<string> {
  const target = fromRoot(output);
  const args = ["build-docs", fromRoot(generatedFiles.bundle), "--inlineBundle", "--output", target];
  // Off for the CLI and, through the page's `disableTelemetry`, in readers' browsers (Redoc 3 reports page views).
  await runNodeScript("redocly build-docs", redoclyCli, args, { REDOCLY_TELEMETRY: "off" });
  return target;
}

runIfMain(
  import.meta.url,
  `
Usage: tsx scripts/docs.ts [--out FILE]
Builds the API reference page (Redoc, inlined) from ${generatedFiles.bundle} into ${DOCS_OUTPUT}, or FILE.`,
  async (args) => {
    const outIndex = args.indexOf("--out");
    const output = outIndex >= 0 ? args[outIndex + 1] : DOCS_OUTPUT;
    if (!output) throw new Error("--out needs a file name.");
    const started = performance.now();
    const written = await buildDocs(output);
    process.stdout.write(`docs: ${written} (${Math.round(performance.now() - started)} ms)\n`);
    return 0;
  },
);
