const t0 = performance.now();
const m = await import('../../src/builtins/index.ts');
const t1 = performance.now();
const b = m.builtinTools({});
const t2 = performance.now();
console.log('import', (t1 - t0).toFixed(0), 'ms; construct', (t2 - t1).toFixed(0), 'ms', b.tools.map((t) => (t as any).type ?? (t as any).name));
await b.close();
console.log('closed', (performance.now() - t2).toFixed(0));
