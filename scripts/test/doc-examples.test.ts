/**
 * The TypeScript examples in README.md and docs/**\/*.md, and the `@example`s of the public packages' doc
 * comments, compile against the packages as they are: an API renamed in a package fails here, naming the doc
 * (or source file), the block's line and the compiler's message at its line there. All are checked in one
 * TypeScript program (scripts/doc-examples.ts, scripts/jsdoc-examples.ts); the conventions for fragments,
 * hidden setup lines and the JSDoc examples' prelude are in docs/testing.md.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDocExamples,
  type DocExampleProblem,
  extractExamples,
  findDocExamples,
  repoCompilerOptions,
} from '../doc-examples.ts';
import { findJsdocExamples, packageExports, withPrelude } from '../jsdoc-examples.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (so `@interplay/*` resolves as for examples/), ignored by git, biome, tsconfig.json and
// the examples test.
const scratch = fileURLToPath(new URL('../../examples/scratch', import.meta.url));

const docExamples = findDocExamples(root);
// The JSDoc `@example`s of the public packages, checked in the same program after a hidden prelude.
const options = repoCompilerOptions(root);
const { exports, program: entries } = packageExports(root, options);
const jsdocExamples = findJsdocExamples(root, exports).map((e) => withPrelude(e, exports));
const examples = [...docExamples, ...jsdocExamples];
const checked = examples.filter((e) => !e.fragment);

describe('the TypeScript examples in the docs', () => {
  let problems: DocExampleProblem[] = [];
  let other: string[] = [];
  beforeAll(() => {
    ({ problems, other } = checkDocExamples(root, examples, scratch, { options, oldProgram: entries }));
  }, 120_000);
  // The messages already point into the docs: the modules are not kept.
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('are found, and few are marked fragment', () => {
    expect(docExamples.filter((e) => !e.fragment).length).toBeGreaterThanOrEqual(25);
    expect(docExamples.filter((e) => e.fragment).length).toBeLessThanOrEqual(8);
    expect(jsdocExamples.length).toBeGreaterThanOrEqual(50);
  });

  it('compile with the repository options', () => {
    expect(other).toEqual([]);
  });

  it.each(checked.map((e) => [`${e.doc}:${e.line}`, e] as const))('%s compiles', (_, example) => {
    expect(problems.filter((p) => p.example === example).map((p) => p.message)).toEqual([]);
  });
});

describe('reading the examples out of a doc', () => {
  const doc = [
    '# Title', // 1
    '```sh', // 2
    '```ts', // 3: inside a shell block, not an example
    '```', // 4
    '<!-- ts-setup', // 5
    "import { Runner } from '@interplay/core';", // 6
    'declare const runner: Runner;', // 7
    '-->', // 8
    '```ts', // 9
    "await runner.run('hi');", // 10
    '```', // 11
    '```typescript fragment', // 12
    'type A = B;', // 13
    '```', // 14
    '````md', // 15: a block showing blocks, up to its own four backticks
    '```', // 16
    '```ts', // 17: shown, not an example
    'shown;', // 18
    '```', // 19
    '````', // 20
  ].join('\n');

  it('takes the setup comment before a block, maps each line back to the doc, and sees fragments', () => {
    expect(extractExamples('d.md', doc)).toEqual([
      {
        doc: 'd.md',
        line: 9,
        fragment: false,
        code: [
          "import { Runner } from '@interplay/core';",
          'declare const runner: Runner;',
          "await runner.run('hi');",
        ],
        docLines: [6, 7, 10],
      },
      { doc: 'd.md', line: 12, fragment: true, code: ['type A = B;'], docLines: [13] },
    ]);
  });
});

describe('the prelude of a JSDoc example', () => {
  const exports = {
    protocol: [],
    client: [],
    core: [
      { name: 'Runner', value: true },
      { name: 'RunResult', value: false },
      { name: 'tool', value: true },
    ],
    mcp: [{ name: 'mcpServer', value: true }],
  };

  it("imports the package's exports the example does not import, then nests the example under the reader's names", () => {
    const example = {
      doc: 'packages/mcp/src/x.ts',
      line: 3,
      fragment: false,
      code: ["import { tool } from '@interplay/core';", 'const client = 1;'],
      docLines: [4, 5],
    };
    const module = withPrelude(example, exports);
    expect(module.code.slice(0, 4)).toEqual([
      "import { mcpServer } from '@interplay/mcp';",
      "import { Runner, type RunResult } from '@interplay/core';",
      "import { tool } from '@interplay/core';",
      'declare function readerValue<T>(): T;',
    ]);
    // The example's own `client` shadows the reader's, one block further in.
    expect(module.code.slice(-3)).toEqual(['{', 'const client = 1;', '}}']);
    expect(module.code).toContain('const client = readerValue<InteractionsClient>();');
    expect(module.docLines.slice(2, 3)).toEqual([4]);
    expect(module.docLines.at(-2)).toBe(5);
  });
});
