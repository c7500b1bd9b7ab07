/** The root scripts' Node check: one line naming the version needed and the one found. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../node-version.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { engines, scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('nodeVersionProblem', () => {
  it('names the version needed and the one found, in one line', () => {
    expect(nodeVersionProblem('20.20.2', '>=22.13', '/usr/bin/node')).toBe(
      'Interplay needs Node.js 22.13 or newer; this is Node.js 20.20.2 (/usr/bin/node).',
    );
    expect(nodeVersionProblem('22.12.0', '>=22.13', 'node')).toMatch(/needs Node\.js 22\.13 .* 22\.12\.0/);
  });

  it('accepts the version itself and anything newer', () => {
    for (const found of ['22.13.0', '22.18.1', '23.0.0', '24.21.0'])
      expect(nodeVersionProblem(found, '>=22.13', 'node')).toBeUndefined();
  });

  it('reads the range the root package.json declares, and the scripts that need it run it first', () => {
    expect(nodeVersionProblem(process.versions.node, engines.node, 'node')).toBeUndefined();
    for (const name of ['demo', 'test', 'bench'])
      expect(scripts[name], name).toMatch(/^node scripts\/require-node\.mjs && /);
    // `pnpm interplay` is the workspace's executable, not a script: a script's banner would precede the answer.
    expect(scripts.interplay).toBeUndefined();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/require-node.mjs')], {
      encoding: 'utf8',
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });
});
