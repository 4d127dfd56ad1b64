// What `npm run <name>` runs, read from package.json, so a benchmark always times the command users run rather
// than a copy of it that could drift. Only a plain `node …` command is accepted: the bench swaps `node` for the
// Node binary under test and runs it without a shell (npm's own start-up is not part of the figure).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The arguments after `node` in a package.json script such as `node scripts/run-ts.mjs scripts/pipeline.ts`. */
export function nodeScriptArgs(name: string, command: string): string[] {
  // Anything a shell would interpret (quotes, variables, pipes, `&&`, redirections) cannot be run without one.
  if (/["'`$\\|&;<>(){}*?]/.test(command)) {
    throw new Error(`package.json scripts.${name} needs a shell (${command}); the bench runs only \`node …\`.`);
  }
  const [program, ...args] = command.trim().split(/\s+/);
  if (program !== "node" || args.length === 0) {
    throw new Error(
      `package.json scripts.${name} must be \`node <script> …\` for the bench to run it; it is: ${command}`,
    );
  }
  return args;
}

/** The arguments after `node` of `scripts[name]` in `<projectDir>/package.json`. */
export function readNodeScript(projectDir: string, name: string): string[] {
  const { scripts = {} } = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const command = scripts[name];
  if (command === undefined) throw new Error(`package.json has no scripts.${name}.`);
  return nodeScriptArgs(name, command);
}

/**
 * The same TypeScript entry point run under tsx instead of whatever loader `args` names:
 * `run-ts.mjs scripts/pipeline.ts --watch` → `--import tsx scripts/pipeline.ts --watch`.
 */
export function underTsx(args: readonly string[]): string[] {
  const entry = args.findIndex((arg) => arg.endsWith(".ts"));
  if (entry < 0) throw new Error(`No TypeScript entry point in \`node ${args.join(" ")}\`.`);
  return ["--import", "tsx", ...args.slice(entry)];
}
