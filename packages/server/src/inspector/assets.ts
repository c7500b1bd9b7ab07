/**
 * The inspector's static files: the page, its scripts and styles from `assets/inspector/` of this package, and
 * the two libraries it renders markdown with (`marked`, `DOMPurify`) from their own packages. Everything is
 * served by this server: the page loads nothing from anywhere else, and its content security policy forbids
 * it (model output is untrusted; a markdown image pointing elsewhere could carry data out).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Resolved from this module, so it holds wherever the package is installed. */
const ASSET_DIR = fileURLToPath(new URL('../../assets/inspector/', import.meta.url));
const require = createRequire(import.meta.url);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Asset path (below `/inspector/`) → file on disk: the files of the asset folder, and the libraries. */
function assetFiles(): Map<string, string> {
  const files = new Map<string, string>([['', join(ASSET_DIR, 'index.html')]]);
  for (const entry of readdirSync(ASSET_DIR, { withFileTypes: true })) {
    if (entry.isFile() && entry.name !== 'index.html') files.set(entry.name, join(ASSET_DIR, entry.name));
  }
  // The ES module builds of the two libraries (package `exports` hide their package.json from `resolve`).
  files.set('vendor/marked.js', require.resolve('marked'));
  files.set('vendor/purify.js', join(dirname(require.resolve('dompurify')), 'purify.es.mjs'));
  return files;
}

export interface Asset {
  body: Buffer;
  contentType: string;
}

let files: Map<string, string> | undefined;
const cache = new Map<string, Promise<Asset>>();

/** The asset at `path` below `/inspector/`, or `undefined` when there is none. Read once, then kept. */
export function loadAsset(path: string): Promise<Asset> | undefined {
  files ??= assetFiles();
  const file = files.get(path);
  if (file === undefined) return undefined;
  let asset = cache.get(path);
  if (!asset) {
    asset = readAsset(file);
    cache.set(path, asset);
    // A failed read (a broken install) is tried again on the next request.
    asset.catch(() => cache.delete(path));
  }
  return asset;
}

async function readAsset(file: string): Promise<Asset> {
  const extension = file.slice(file.lastIndexOf('.'));
  let body = await readFile(file);
  const isScript = extension === '.js' || extension === '.mjs';
  // The libraries end with a source-map comment naming a file that is not served.
  if (isScript) body = Buffer.from(body.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
  return { body, contentType: TYPES[isScript ? '.js' : extension] ?? 'application/octet-stream' };
}
