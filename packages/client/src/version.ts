/**
 * This package's version, read from its package.json (one folder up from both `src/` and the built `dist/`),
 * so what it reports to servers follows `changeset version` without an edit here.
 */
import { createRequire } from 'node:module';

export const VERSION: string = createRequire(import.meta.url)('../package.json').version;
