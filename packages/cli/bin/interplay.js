#!/usr/bin/env node
/**
 * The `interplay` executable. Plain JavaScript on purpose: it turns on Node's compile cache before anything
 * else is loaded. Run from source, Node compiles `.ts` files with a WebAssembly type stripper that, once
 * loaded, stays resident (~20 MB for the server); with the cache warm (any earlier run on this machine),
 * every module comes from the cache and the stripper is never loaded. NODE_COMPILE_CACHE picks the folder
 * (default: the OS temp dir); NODE_DISABLE_COMPILE_CACHE=1 turns it off. See docs/server/operations.md.
 *
 * The published package holds `dist/` and no `src/`, so an installed CLI runs the build; a checkout of the
 * repository always runs its sources, never a `dist/` that may be older than them.
 */
import { existsSync } from 'node:fs';
import module from 'node:module';

module.enableCompileCache?.();
const source = new URL('../src/main.ts', import.meta.url);
await import(existsSync(source) ? source.href : new URL('../dist/main.js', import.meta.url).href);
