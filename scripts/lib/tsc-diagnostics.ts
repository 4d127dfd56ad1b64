// What `tsc --noEmit -p <project>` reports, taken from a TypeScript 7 API program instead of a tsc run: the same
// diagnostics, in the same order, printed the same way (tsc's plain, non-TTY format).
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { type Diagnostic, DiagnosticCategory, type Program } from "typescript7/unstable/async";

/**
 * The diagnostics tsc would print, mirroring TypeScript 7.0's GetDiagnosticsOfAnyProgram: config-file problems
 * always; syntax and program (options) problems next; global ones only if those found nothing; and type errors only
 * if nothing before did, so a syntax error is not buried under the type errors it causes. Declaration diagnostics
 * are left out: tsc asks for them only when it emits declarations, and a noEmit check does not.
 */
export async function tscDiagnostics(program: Program): Promise<Diagnostic[]> {
  const [config, syntactic, options] = await Promise.all([
    program.getConfigFileParsingDiagnostics(),
    program.getSyntacticDiagnostics(),
    program.getProgramDiagnostics(),
  ]);
  const found = [...syntactic, ...options];
  if (found.length === 0) found.push(...(await program.getGlobalDiagnostics()));
  if (found.length === 0) found.push(...(await program.getSemanticDiagnostics()));
  return sortAndDeduplicate([...config, ...found]);
}

/** Whether tsc would fail on these: errors only (TypeScript 7 has no warnings in practice, and never fails on one). */
export const hasErrors = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.some((diagnostic) => diagnostic.category === DiagnosticCategory.Error);

/**
 * tsc's lines for these diagnostics: `path(line,col): error TS1234: text`, the path relative to `cwd`, then each
 * message in the chain on its own line, indented two spaces per level.
 */
export async function formatTscDiagnostics(
  diagnostics: readonly Diagnostic[],
  cwd: string,
  program: Program,
): Promise<string> {
  const lineStarts = new Map<string, Promise<number[]>>();
  const lineStartsOf = (fileName: string) => {
    let starts = lineStarts.get(fileName);
    if (!starts) {
      starts = sourceText(program, fileName).then(computeLineStarts);
      lineStarts.set(fileName, starts);
    }
    return starts;
  };
  const lines = await Promise.all(
    diagnostics.map(async (diagnostic) => {
      const message = `${categoryName(diagnostic.category)} TS${diagnostic.code}: ${flattenMessage(diagnostic)}`;
      if (!diagnostic.fileName) return message;
      const { line, column } = lineAndColumn(await lineStartsOf(diagnostic.fileName), diagnostic.pos);
      return `${relative(cwd, diagnostic.fileName)}(${line},${column}): ${message}`;
    }),
  );
  return lines.join("\n");
}

/** The text tsgo checked: the program's own copy, or the disk's for a file outside it (tsconfig.json). */
async function sourceText(program: Program, fileName: string): Promise<string> {
  const sourceFile = await program.getSourceFile(fileName);
  return sourceFile?.text ?? (await readFile(fileName, "utf8"));
}

function categoryName(category: DiagnosticCategory): string {
  switch (category) {
    case DiagnosticCategory.Error:
      return "error";
    case DiagnosticCategory.Warning:
      return "warning";
    case DiagnosticCategory.Suggestion:
      return "suggestion";
    default:
      return "message";
  }
}

function flattenMessage(diagnostic: Diagnostic, depth = 0): string {
  const own = depth === 0 ? diagnostic.text : `\n${"  ".repeat(depth)}${diagnostic.text}`;
  return own + (diagnostic.messageChain ?? []).map((next) => flattenMessage(next, depth + 1)).join("");
}

/** Where each line starts, in UTF-16 code units (the unit of `pos`), breaking lines where TypeScript's scanner does. */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "\r" && text[index + 1] === "\n") index++;
    if (char === "\n" || char === "\r" || char === "\u2028" || char === "\u2029") starts.push(index + 1);
  }
  return starts;
}

/** 1-based line and column of `pos`, as tsc prints them. */
function lineAndColumn(lineStarts: number[], pos: number) {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= pos) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: pos - (lineStarts[low] ?? 0) + 1 };
}

/** tsc's order (file, start, end, code, message) without repeats. */
function sortAndDeduplicate(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  return sorted.filter((diagnostic, index) => index === 0 || compareDiagnostics(sorted[index - 1], diagnostic) !== 0);
}

function compareDiagnostics(a: Diagnostic | undefined, b: Diagnostic | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return (
    compareStrings(a.fileName ?? "", b.fileName ?? "") ||
    a.pos - b.pos ||
    a.end - b.end ||
    a.code - b.code ||
    compareStrings(flattenMessage(a), flattenMessage(b))
  );
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
