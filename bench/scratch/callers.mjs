import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const name = process.argv[3];
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const t = new Map();
for (let i = 0; i < prof.samples.length; i++) t.set(prof.samples[i], (t.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const stacks = new Map();
for (const [id, time] of t) {
  if (byId.get(id).callFrame.functionName !== name) continue;
  const chain = [];
  let cur = parent.get(id);
  for (let d = 0; d < Number(process.argv[4] ?? 8) && cur !== undefined; d++) { const cf = byId.get(cur).callFrame; chain.push(`${cf.functionName || '(anon)'}@${cf.url.split('/').slice(-1)[0]}:${cf.lineNumber + 1}`); cur = parent.get(cur); }
  const k = chain.join(' < ');
  stacks.set(k, (stacks.get(k) ?? 0) + time);
}
for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log((v / 1000).toFixed(0), 'ms', k);
