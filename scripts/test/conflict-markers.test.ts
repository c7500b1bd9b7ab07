/**
 * No merge leaves its conflict markers behind: a merge resolved by hand can commit `<<<<<<<` blocks that no
 * type-check or linter sees (Markdown, JSON read at run time, comments).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MARKER = /^(<{7}|>{7}) |^={7}$/m;

it('no tracked text file has merge conflict markers', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && !/\.(png|jpg|gif|ico|wasm|whl|zip|gz|tgz|db)$/.test(f));
  expect(files.length).toBeGreaterThan(100);
  const marked = files.filter((f) => {
    try {
      return MARKER.test(readFileSync(`${root}/${f}`, 'utf8'));
    } catch {
      return false; // listed but absent from this checkout (e.g. deleted in the work tree)
    }
  });
  expect(marked).toEqual([]);
});
