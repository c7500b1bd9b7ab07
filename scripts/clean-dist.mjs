/**
 * Removes every package's `dist/` and its TypeScript build info before `pnpm build`, so a file whose source
 * was deleted or renamed cannot linger in `dist/` and end up in a published tarball.
 */
import { readdirSync, rmSync } from 'node:fs';

const packages = new URL('../packages/', import.meta.url);
for (const name of readdirSync(packages)) {
  rmSync(new URL(`${name}/dist`, packages), { recursive: true, force: true });
  rmSync(new URL(`${name}/tsconfig.build.tsbuildinfo`, packages), { force: true });
}
