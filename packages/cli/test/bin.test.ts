/**
 * The `interplay` executable runs the sources in a checkout of the repository (never a `dist/` that may be
 * older than them) and the build in an installed package, which ships `dist/` and no `src/`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../bin/interplay.js');
const dir = mkdtempSync(path.join(tmpdir(), 'interplay-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A package folder with the real bin and stand-ins for `src/main.ts` and `dist/main.js` that say which ran. */
function layout(files: { src: boolean; dist: boolean }): string {
  const root = mkdtempSync(path.join(dir, 'pkg-'));
  mkdirSync(path.join(root, 'bin'));
  cpSync(BIN, path.join(root, 'bin/interplay.js'));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  if (files.src) {
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/main.ts'), "const from: string = 'src';\nconsole.log(from);\n");
  }
  if (files.dist) {
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist/main.js'), "console.log('dist');\n");
  }
  return path.join(root, 'bin/interplay.js');
}

const run = (bin: string) => spawnSync(process.execPath, [bin], { encoding: 'utf8' });

describe('bin/interplay.js', () => {
  it('runs src/main.ts when the sources are there, even next to a built dist/', () => {
    expect(run(layout({ src: true, dist: true })).stdout).toBe('src\n');
  });

  it('runs dist/main.js in an installed package (no src/)', () => {
    expect(run(layout({ src: false, dist: true })).stdout).toBe('dist\n');
  });
});
