/**
 * The `@example` blocks of the public packages' doc comments (protocol, client, core, mcp), read as examples
 * for scripts/doc-examples.ts. A JSDoc example is a sketch next to the API it shows: it uses that package's
 * exports without importing them, and a few names of the reader's (`client`, `runner`, a tool). So each is
 * checked after a hidden prelude — an import of every export of its package and declarations of those names —
 * with its own lines in a block, where its declarations may shadow the prelude's. An example with imports of
 * its own is complete: it gets neither.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { DocExample } from './doc-examples.ts';

export const JSDOC_PACKAGES = ['protocol', 'client', 'core', 'mcp'] as const;
type JsdocPackage = (typeof JSDOC_PACKAGES)[number];

/** Packages whose exports an example of the key package may also use without importing. */
const ALSO_IN_SCOPE: Record<JsdocPackage, JsdocPackage[]> = {
  protocol: [],
  client: ['protocol'],
  core: [],
  mcp: ['core'],
};

/**
 * The reader's own names the examples use (`client`, a tool of theirs…), with their types; the types are
 * names in scope through the prelude's imports.
 */
const READER_NAMES: Record<JsdocPackage, Record<string, string>> = {
  protocol: { events: 'CanonicalEvent[]', error: 'unknown' },
  client: { client: 'InteractionsClient', id: 'string', log: '(value: unknown) => void' },
  core: {
    client: 'InteractionsClient',
    runner: 'Runner',
    model: 'string',
    getWeather: 'AnyTool',
    lookupInvoice: 'AnyTool',
    loadTools: '() => Promise<RunnerTool[]>',
    billing: 'Agent',
    refunds: 'Agent',
    triage: 'Agent',
    triageAgent: 'Agent',
    searchBot: 'Agent',
    research: 'AgentStep',
    summarize: 'ModelStep',
    db: '{ save(id: string, value: string): Promise<void>; load(id: string): Promise<string> }',
    flowId: 'string',
    signal: 'AbortSignal',
    event: 'WebhookEvent',
    rawBody: 'string',
    req: '{ headers: Record<string, string | string[] | undefined> }',
  },
  mcp: {
    client: 'InteractionsClient',
    model: 'string',
    url: 'string',
    tools: 'RunnerTool[]',
    getTime: 'AnyTool',
    fsServer: 'McpServerHandle',
  },
};

const EXAMPLE_TAG = /^\s*\*\s*@example\s*$/;
const COMMENT_END = /^\s*\*\//;
const NEXT_TAG = /^\s*\*\s*@\w+/;
const FENCE = /^```/;

const EXPORTED_DECLARATION =
  /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+(\w+)/;

/**
 * Every `@example` of the packages' public API: its lines without the comment's `* ` and without ``` fences.
 * Public: the comment documents a declaration the package's entry point exports, or (a module's or a class
 * member's comment) it is in a file that declares one. The examples of internals are left out.
 */
export function findJsdocExamples(root: string, exports: PackageExports): DocExample[] {
  const examples: DocExample[] = [];
  for (const pkg of JSDOC_PACKAGES) {
    const exported = new Set(exports[pkg].map((e) => e.name));
    const dir = `packages/${pkg}/src`;
    for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).sort()) {
      if (!file.endsWith('.ts')) continue;
      const rel = `${dir}/${file.split(path.sep).join('/')}`;
      const lines = readFileSync(path.join(root, rel), 'utf8').split('\n');
      const filePublic = lines.some((line) => exported.has(EXPORTED_DECLARATION.exec(line)?.[1] ?? ''));
      for (let i = 0; i < lines.length; i++) {
        if (!EXAMPLE_TAG.test(lines[i] ?? '')) continue;
        const code: string[] = [];
        const docLines: number[] = [];
        let j = i + 1;
        for (; j < lines.length && !COMMENT_END.test(lines[j] ?? '') && !NEXT_TAG.test(lines[j] ?? ''); j++) {
          const text = (lines[j] ?? '').replace(/^\s*\* ?/, '');
          if (FENCE.test(text)) continue;
          code.push(text);
          docLines.push(j + 1);
        }
        const example = { doc: rel, line: i + 1, fragment: false, code, docLines };
        i = j - 1;
        let end = j;
        while (end < lines.length && !COMMENT_END.test(lines[end] ?? '')) end++;
        const documented = EXPORTED_DECLARATION.exec(lines[end + 1] ?? '')?.[1];
        if (documented === undefined ? filePublic : exported.has(documented)) examples.push(example);
      }
    }
  }
  return examples;
}

/** For each package, the names its entry point exports, and whether each is a value (else only a type). */
export type PackageExports = Record<JsdocPackage, { name: string; value: boolean }[]>;

/**
 * The exports of each package's entry point, read with the compiler. Returns the program too: the check of the
 * examples reuses its source files (`oldProgram`).
 */
export function packageExports(
  root: string,
  options: ts.CompilerOptions,
): { exports: PackageExports; program: ts.Program } {
  const entries = JSDOC_PACKAGES.map((pkg) => path.join(root, `packages/${pkg}/src/index.ts`));
  const program = ts.createProgram({ rootNames: entries, options });
  const checker = program.getTypeChecker();
  const exports = {} as PackageExports;
  JSDOC_PACKAGES.forEach((pkg, index) => {
    const source = program.getSourceFile(entries[index] ?? '');
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`no module symbol for ${entries[index]}`);
    exports[pkg] = checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return { name: symbol.name, value: (target.flags & ts.SymbolFlags.Value) !== 0 };
    });
  });
  return { exports, program };
}

/**
 * The example as the module to check: the imports of its package's exports (and of the packages in scope) that
 * it does not import itself, its own imports, then in a block the reader's names and, in a block inside that,
 * the example's other lines — its own declarations shadow the names before. `docLines` keeps pointing into the
 * source file.
 */
export function withPrelude(example: DocExample, exports: PackageExports): DocExample {
  const pkg = /^packages\/([a-z]+)\//.exec(example.doc)?.[1] as JsdocPackage;
  const own = example.code.map((text, i) => ({ text, line: example.docLines[i] ?? example.line }));
  const ownImports = own.filter((l) => IMPORT.test(l.text));
  const seen = new Set(ownImports.flatMap((l) => importedNames(l.text)));
  const imports = [pkg, ...ALSO_IN_SCOPE[pkg]].map((p) => {
    const names = exports[p].filter((e) => !seen.has(e.name));
    for (const e of names) seen.add(e.name);
    return `import { ${names.map((e) => (e.value ? e.name : `type ${e.name}`)).join(', ')} } from '@interplay/${p}';`;
  });
  const reader = Object.entries(READER_NAMES[pkg]).map(
    ([name, type]) => `const ${name} = readerValue<${type}>();`,
  );
  const hidden = (text: string) => ({ text, line: example.line });
  const lines = [
    ...imports.map(hidden),
    ...ownImports,
    hidden('declare function readerValue<T>(): T;'),
    hidden('{'),
    ...reader.map(hidden),
    hidden('{'),
    ...own.filter((l) => !IMPORT.test(l.text)),
    hidden('}}'),
  ];
  return { ...example, code: lines.map((l) => l.text), docLines: lines.map((l) => l.line) };
}

const IMPORT = /^import\s/;

/** The local names a one-line `import { a, type B, c as d } from '…'` binds. */
function importedNames(line: string): string[] {
  const braces = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
  return braces
    .split(',')
    .map(
      (part) =>
        part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)
          .pop() ?? '',
    )
    .filter((name) => name !== '');
}
