/**
 * Every benchmark child starts here, the way `interplay serve` starts (packages/cli/bin/interplay.js): the
 * compile cache is turned on before any TypeScript is loaded, then the child's own entry (argv[2]) runs.
 */
import module from 'node:module';

module.enableCompileCache?.();
await import(process.argv[2]);
