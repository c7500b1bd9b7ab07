// usage: node summarize.mjs file.cpuprofile [top] [incl]
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 40);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map();
for (let i = 0; i < prof.samples.length; i++) counts.set(prof.samples[i], (counts.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const keyOf = (cf) => `${cf.functionName || '(anon)'} ${cf.url.replace(/.*\/(packages|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`;
const fileOf = (cf) => cf.url ? cf.url.replace(/.*\/node_modules\/\.pnpm\/([^/]+)\/.*/, 'npm:$1').replace(/.*\/packages\//, 'packages/') : `(${cf.functionName})`;
let total = 0;
const self = new Map(), byFile = new Map(), incl = new Map();
for (const [id, t] of counts) {
  const cf = byId.get(id).callFrame;
  self.set(keyOf(cf), (self.get(keyOf(cf)) ?? 0) + t);
  byFile.set(fileOf(cf), (byFile.get(fileOf(cf)) ?? 0) + t);
  total += t;
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = keyOf(byId.get(cur).callFrame);
    if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + t); seen.add(k); }
  }
}
const pr = (m, title) => {
  console.log(`\n== ${title} (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
};
pr(self, 'self by function');
pr(byFile, 'self by file');
if (process.argv[4] === 'incl') pr(incl, 'inclusive');
