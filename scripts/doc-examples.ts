/**
 * The TypeScript examples of the docs (README.md and docs/**\/*.md, not the generated docs/api), found and
 * type-checked as a user would paste them: each ```ts / ```typescript block becomes a module in a git-ignored
 * folder under examples/ (so `@interplay/*` resolves as it does for the examples), and all of them are checked
 * in one TypeScript program with the repository's compiler options (tsconfig.json).
 *
 * The conventions (docs/testing.md):
 * - ```ts fragment — the block is a fragment on purpose (a signature, a line with names defined elsewhere):
 *   not checked.
 * - An HTML comment `<!-- ts-setup` … `-->` right before the fence: its lines (hidden when the Markdown is
 *   rendered) are put before the block's, e.g. the imports and `declare const runner: Runner;` that a block
 *   continuing an earlier one relies on.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One fenced TypeScript block of a doc. */
export interface DocExample {
  /** The doc, relative to the repository root, with `/` separators. */
  doc: string;
  /** The 1-based line of the opening fence in the doc. */
  line: number;
  /** Marked ```ts fragment: not checked. */
  fragment: boolean;
  /** The module's lines: the setup comment's lines, then the block's. */
  code: string[];
  /** For each line of `code`, its 1-based line in the doc. */
  docLines: number[];
}

/** A compiler message about an example, placed in its doc. */
export interface DocExampleProblem {
  example: DocExample;
  /** `docs/core/README.md:57:10 TS2305 Module … has no exported member …` */
  message: string;
}

const FENCE_OPEN = /^```(ts|typescript)(?:\s+(.*))?$/;
const FENCE_ANY = /^(`{3,})/;
const SETUP_OPEN = '<!-- ts-setup';
const SETUP_CLOSE = '-->';

/** README.md and every Markdown file under docs/ except the generated API reference (docs/api). */
export function docFiles(root: string): string[] {
  const found = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== 'docs/api') walk(rel);
      } else if (entry.name.endsWith('.md')) {
        found.push(rel);
      }
    }
  };
  walk('docs');
  return found.sort();
}

/** The TypeScript blocks of one doc, with the setup comment that precedes each (if any). */
export function extractExamples(doc: string, text: string): DocExample[] {
  const lines = text.split('\n');
  const examples: DocExample[] = [];
  let otherFence = ''; // the backticks that opened the non-TypeScript block we are in
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const open = FENCE_OPEN.exec(line);
    if (otherFence !== '') {
      if (closes(line, otherFence)) otherFence = '';
      continue;
    }
    if (!open) {
      otherFence = FENCE_ANY.exec(line)?.[1] ?? '';
      continue;
    }
    const words = (open[2] ?? '').split(/\s+/).filter((w) => w !== '');
    const setup = setupBefore(lines, i);
    const code = setup.map((s) => s.text);
    const docLines = setup.map((s) => s.line);
    let end = i + 1;
    for (; end < lines.length && !closes(lines[end] ?? '', '```'); end++) {
      code.push(lines[end] ?? '');
      docLines.push(end + 1);
    }
    examples.push({ doc, line: i + 1, fragment: words.includes('fragment'), code, docLines });
    i = end; // the closing fence
  }
  return examples;
}

/** A closing fence: at least as many backticks as the opening one, and no info string. */
function closes(line: string, opening: string): boolean {
  const match = /^(`{3,})\s*$/.exec(line);
  return match !== null && (match[1] ?? '').length >= opening.length;
}

/** The lines of a `<!-- ts-setup` … `-->` comment that ends on the line right before the fence at `fence`. */
function setupBefore(lines: string[], fence: number): { text: string; line: number }[] {
  if (lines[fence - 1]?.trim() !== SETUP_CLOSE) return [];
  let start = fence - 2;
  while (start >= 0 && !(lines[start] ?? '').startsWith(SETUP_OPEN)) {
    if ((lines[start] ?? '').includes('<!--') || (lines[start] ?? '').includes(SETUP_CLOSE)) return [];
    start--;
  }
  if (start < 0) return [];
  const setup: { text: string; line: number }[] = [];
  for (let j = start + 1; j < fence - 1; j++) setup.push({ text: lines[j] ?? '', line: j + 1 });
  return setup;
}

/** Every example of the docs under `root`. */
export function findDocExamples(root: string): DocExample[] {
  return docFiles(root).flatMap((doc) => extractExamples(doc, readFileSync(path.join(root, doc), 'utf8')));
}

/**
 * Writes the examples that are not fragments as modules under `scratchDir` (emptied first; it must lie inside
 * the repository, where the workspace packages resolve) and type-checks them in one program with the compiler
 * options of `root`/tsconfig.json. Returns the compiler's messages placed in the docs, and the messages not
 * about an example (the options, a global type) as they are.
 */
export function checkDocExamples(
  root: string,
  examples: readonly DocExample[],
  scratchDir: string,
  reuse?: { options: ts.CompilerOptions; oldProgram: ts.Program },
): { problems: DocExampleProblem[]; other: string[] } {
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  const byFile = new Map<string, DocExample>();
  for (const example of examples) {
    if (example.fragment) continue;
    const name = `${example.doc.replace(/\.md$/, '').replace(/[/\\]/g, '__')}-L${example.line}.ts`;
    const file = path.join(scratchDir, name);
    writeFileSync(file, `${example.code.join('\n')}\n`);
    byFile.set(path.resolve(file), example);
  }

  const program = ts.createProgram({
    rootNames: [...byFile.keys()],
    // Every block is a module, even one without an import: top-level names of two blocks never collide.
    options: {
      ...(reuse?.options ?? repoCompilerOptions(root)),
      moduleDetection: ts.ModuleDetectionKind.Force,
    },
    ...(reuse && { oldProgram: reuse.oldProgram }),
  });

  const problems: DocExampleProblem[] = [];
  for (const [file, example] of byFile) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`the program lost ${file}`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const d of diagnostics) {
      const at = d.start === undefined ? undefined : source.getLineAndCharacterOfPosition(d.start);
      const where = at
        ? `${example.doc}:${example.docLines[at.line] ?? example.line}:${at.character + 1}`
        : example.doc;
      problems.push({
        example,
        message: `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      });
    }
  }
  const other = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(
    (d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
  );
  return { problems, other };
}

/** The compiler options of `root`/tsconfig.json, without emitting. */
export function repoCompilerOptions(root: string): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error(`cannot read ${root}/tsconfig.json`);
  return { ...config.options, noEmit: true };
}
