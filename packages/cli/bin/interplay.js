#!/usr/bin/env node
/**
 * The `interplay` executable. Plain JavaScript on purpose: it turns on Node's compile cache before any
 * TypeScript is loaded. Node compiles `.ts` files with a WebAssembly type stripper that, once loaded, stays
 * resident (~20 MB for the server); with the cache warm (any earlier run on this machine), every module comes
 * from the cache, the stripper is never loaded, and start-up is faster. NODE_COMPILE_CACHE picks the folder
 * (default: the OS temp dir); NODE_DISABLE_COMPILE_CACHE=1 turns it off. See docs/server/operations.md.
 */
import module from 'node:module';

module.enableCompileCache?.();
await import('../src/main.ts');
