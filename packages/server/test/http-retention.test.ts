/** Retention: stored interactions (and their events) disappear after the configured TTL. */
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { call, closeAll, startServer, textScript, waitFor } from './helpers/server.ts';
import { storedEventCount } from './helpers/sqlite-events.ts';

afterAll(closeAll);

const rows = (dbPath: string, table: string) => {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
  } finally {
    db.close();
  }
};

describe('retention', () => {
  it('expired interactions are swept by the periodic timer', async () => {
    const t = await startServer({
      script: textScript('short-lived'),
      retentionMs: 1_500,
      expireIntervalMs: 40,
    });
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'x', stream: true },
    });
    const id = /"id":"(v1_[^"]+)"/.exec(post.text)?.[1];
    expect((await call(`${t.url}/v1beta/interactions/${id}`)).status).toBe(200);
    expect(storedEventCount(t.dbPath)).toBeGreaterThan(0);
    await waitFor(async () => (rows(t.dbPath, 'interactions') === 0 ? true : undefined), 6_000);
    expect(storedEventCount(t.dbPath)).toBe(0);
    expect((await call(`${t.url}/v1beta/interactions/${id}`)).status).toBe(404);
  });

  it('a long retention keeps them', async () => {
    const store = SqliteStore.open({ path: ':memory:' });
    const expire = store.expire.bind(store);
    // Resolves after the third sweep that ran once the interaction was created.
    let sweeps = -1;
    let swept: () => void = () => {};
    const threeSweeps = new Promise<void>((resolve) => {
      swept = resolve;
    });
    store.expire = async (now) => {
      const removed = await expire(now);
      if (sweeps >= 0 && ++sweeps === 3) swept();
      return removed;
    };
    try {
      const t = await startServer({ store, script: textScript('kept'), expireIntervalMs: 20 });
      const post = await call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input: 'x' } });
      sweeps = 0;
      await threeSweeps;
      expect((await call(`${t.url}/v1beta/interactions/${post.json.id}`)).status).toBe(200);
    } finally {
      await closeAll();
      await store.close();
    }
  });
});
