import { createInteractionsServer, SqliteStore } from '../../src/index.ts';
const store = SqliteStore.open({ path: '/tmp/cnt.db' });
const counts: Record<string, number> = {};
for (const m of ['createInteraction', 'appendEvents', 'updateInteraction'] as const) {
  const orig = (store as any)[m].bind(store);
  (store as any)[m] = async (...a: unknown[]) => { counts[m] = (counts[m] ?? 0) + 1; return orig(...a); };
}
const s = createInteractionsServer({ store, port: 0 });
const { url } = await s.listen();
for (const body of [{ model: 'm', input: 'Hi' }, { model: 'm', input: 'Hi', stream: true }]) {
  for (const k of Object.keys(counts)) delete counts[k];
  await Promise.all(Array.from({ length: 50 }, async () => { const r = await fetch(url + '/v1beta/interactions', { method: 'POST', body: JSON.stringify(body) }); await r.text(); }));
  console.log(JSON.stringify(body), counts);
}
await s.close(); await store.close();
