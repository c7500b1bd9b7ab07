/**
 * The TypeScript examples in README.md and docs/**\/*.md compile against the packages as they are: an API
 * renamed in a package fails here, naming the doc, the block's line and the compiler's message at its line in
 * the doc. All blocks are checked in one TypeScript program (scripts/doc-examples.ts); the conventions for
 * fragments and hidden setup lines are in docs/testing.md.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDocExamples,
  type DocExampleProblem,
  extractExamples,
  findDocExamples,
} from '../doc-examples.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (so `@interplay/*` resolves as for examples/), ignored by git, biome, tsconfig.json and
// the examples test.
const scratch = fileURLToPath(new URL('../../examples/scratch/doc-examples', import.meta.url));

const examples = findDocExamples(root);
const checked = examples.filter((e) => !e.fragment);

describe('the TypeScript examples in the docs', () => {
  let problems: DocExampleProblem[] = [];
  let other: string[] = [];
  beforeAll(() => {
    ({ problems, other } = checkDocExamples(root, examples, scratch));
  }, 120_000);
  // The messages already point into the docs: the modules are not kept.
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('are found, and few are marked fragment', () => {
    expect(checked.length).toBeGreaterThanOrEqual(25);
    expect(examples.length - checked.length).toBeLessThanOrEqual(8);
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
