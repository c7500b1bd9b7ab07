/** Retention: stored interactions (and their events) disappear after the configured TTL. */
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { call, closeAll, startServer, textScript, waitFor } from './helpers/server.ts';

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
    expect(rows(t.dbPath, 'events')).toBeGreaterThan(0);
    await waitFor(async () => (rows(t.dbPath, 'interactions') === 0 ? true : undefined), 6_000);
    expect(rows(t.dbPath, 'events')).toBe(0);
    expect((await call(`${t.url}/v1beta/interactions/${id}`)).status).toBe(404);
  });

  it('a long retention keeps them', async () => {
    const t = await startServer({ script: textScript('kept'), expireIntervalMs: 20 });
    const post = await call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input: 'x' } });
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(`${t.url}/v1beta/interactions/${post.json.id}`)).status).toBe(200);
  });
});
