// What `npm run <name>` runs, read from package.json, as a command this very Node runs without npm or a shell, so a
// test or a benchmark runs exactly what users run, never a copy of it that could drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageFile } from "../../scripts/lib/run-node.js";

/** `tsx <script> …` or `node <script> …` as [file, args]; anything needing a shell is refused. */
export function commandOf(name: string, command: string): [string, string[]] {
  if (/["'`$\\|&;<>(){}*?]/.test(command)) {
    throw new Error(`package.json scripts.${name} needs a shell (${command}); only \`tsx …\` or \`node …\` can run.`);
  }
  const [program, ...args] = command.trim().split(/\s+/);
  if (program === "tsx" && args.length > 0) return [process.execPath, [packageFile("tsx", "dist/cli.mjs"), ...args]];
  if (program === "node" && args.length > 0) return [process.execPath, args];
  throw new Error(`package.json scripts.${name} must be \`tsx <script> …\` or \`node <script> …\`; it is: ${command}`);
}

/** `scripts[name]` of `<projectDir>/package.json`, with `args` appended, as [file, args]. */
export function readNpmScript(projectDir: string, name: string, args: string[] = []): [string, string[]] {
  const { scripts = {} } = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const command = scripts[name];
  if (command === undefined) throw new Error(`package.json has no scripts.${name}.`);
  const [file, scriptArgs] = commandOf(name, command);
  return [file, [...scriptArgs, ...args]];
}
