/** store:false persists nothing (no row, no events, not a byte in the DB files, nothing in logs). */
import { existsSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { call, closeAll, events, startServer, textScript, waitFor } from './helpers/server.ts';
import { storedEventCount } from './helpers/sqlite-events.ts';

afterAll(closeAll);

function count(dbPath: string, table: string): number {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

function dbBytes(dbPath: string): string {
  return [dbPath, `${dbPath}-wal`, `${dbPath}-journal`]
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p).toString('latin1'))
    .join('');
}

describe('store:false', () => {
  it('leaves no row, no events and no trace in the database files or the logs', async () => {
    const t = await startServer({ script: textScript('Secret answer ZEBRA-ANSWER-314') });
    const marker = 'ZEBRA-INPUT-2718';
    const unary = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: marker, store: false },
    });
    expect(unary.status).toBe(200);
    expect(unary.json.status).toBe('completed');
    const streamed = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: marker, store: false, stream: true },
    });
    const evs = events(streamed.text);
    expect(evs.at(-1).event_type).toBe('interaction.completed');
    const legacy = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: marker, store: false },
      headers: { 'api-revision': '2026-05-07' },
    });
    expect(legacy.json.outputs[0].text).toContain('ZEBRA-ANSWER');

    for (const id of [unary.json.id, evs[0].interaction.id, legacy.json.id]) {
      expect((await call(`${t.url}/v1beta/interactions/${id}`)).status).toBe(404);
      expect((await call(`${t.url}/v1beta/interactions/${id}?stream=true`)).status).toBe(404);
      const chained = await call(`${t.url}/v1beta/interactions`, {
        body: { model: 'm', input: 'more', previous_interaction_id: id },
      });
      expect(chained.status).toBe(404);
    }
    // Every run has ended: whatever they would write is written.
    await waitFor(async () => (t.server.running === 0 ? true : undefined));
    expect(count(t.dbPath, 'interactions')).toBe(0);
    expect(storedEventCount(t.dbPath)).toBe(0);
    const bytes = dbBytes(t.dbPath);
    expect(bytes).not.toContain(marker);
    expect(bytes).not.toContain('ZEBRA-ANSWER');
    const logs = t.logs.join('');
    for (const needle of [marker, 'ZEBRA-ANSWER', unary.json.id, evs[0].interaction.id, legacy.json.id]) {
      expect(logs).not.toContain(needle);
    }
  });

  it('a stored interaction keeps its row and its whole event log', async () => {
    const t = await startServer({ script: textScript('kept') });
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi', stream: true },
    });
    const evs = events(post.text);
    // The stream ends once the end is stored: the row and every event it sent are there.
    expect(count(t.dbPath, 'interactions')).toBe(1);
    expect(storedEventCount(t.dbPath)).toBe(evs.length);
  });
});
