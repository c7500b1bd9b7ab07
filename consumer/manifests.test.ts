/**
 * The packages' manifests: inside the repository every entry point is a source file (no build step, never a
 * stale `dist/`); the published manifest (`publishConfig`, which `pnpm pack` and `pnpm publish` apply) maps
 * the same entry points to `dist/`, and ships what a user needs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const LICENSE = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
const packages = readdirSync(path.join(ROOT, 'packages')).map((dir) => ({
  dir,
  manifest: JSON.parse(readFileSync(path.join(ROOT, 'packages', dir, 'package.json'), 'utf8')),
}));

describe.each(packages.map((p) => [p.manifest.name, p] as const))('%s', (_name, { dir, manifest }) => {
  it('exports its sources here and the same entry points from dist/ when published', () => {
    const published = manifest.publishConfig.exports as Record<string, { types: string; import: string }>;
    expect(Object.keys(published)).toEqual(Object.keys(manifest.exports));
    for (const [subpath, source] of Object.entries(manifest.exports as Record<string, string>)) {
      expect(source, subpath).toMatch(/^\.\/src\/.+\.ts$/);
      const built = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
      expect(published[subpath], subpath).toEqual({ types: `${built}.d.ts`, import: `${built}.js` });
    }
  });

  it('publishes dist/, its README, the LICENSE and its changelog, under the repository and engine fields', () => {
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']));
    expect(readFileSync(path.join(ROOT, 'packages', dir, 'LICENSE'), 'utf8')).toBe(LICENSE);
    expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${dir}` });
    expect(manifest).toMatchObject({ license: 'MIT', type: 'module', engines: { node: '>=22.13' } });
    expect(manifest.publishConfig.access).toBe('public');
  });
});
