/**
 * What only the Postgres store has: migrations run by several replicas at once, one retention sweep at a
 * time (advisory locks), the schema chosen in the URL. The behavior it shares with SQLite is in
 * store-contract*.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { advisoryLockKey, POSTGRES_MIGRATIONS } from '../src/store/postgres-migrations.ts';
import { PostgresStore } from '../src/store/postgres-store.ts';
import { type InteractionRecord, StoreError } from '../src/store/store.ts';
import {
  dropSchemas,
  newSchemaName,
  requirePostgres,
  schemaUrl,
  TEST_PG_URL,
  withClient,
} from './helpers/postgres.ts';

const stores: PostgresStore[] = [];
const schemas: string[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await dropSchemas(schemas.splice(0));
});

function schema(): string {
  const name = newSchemaName();
  schemas.push(name);
  return name;
}

async function open(name: string): Promise<PostgresStore> {
  await requirePostgres();
  const store = await PostgresStore.open({ url: schemaUrl(name), poolSize: 2 });
  stores.push(store);
  return store;
}

const record = (id: string, expiresAt: number): InteractionRecord => ({
  id,
  owner: null,
  status: 'completed',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  request: { input: [] },
  output: [],
  background: false,
  expiresAt,
});

describe('PostgresStore', () => {
  it('migrates once when several replicas open a new schema at the same moment', async () => {
    const name = schema();
    const replicas = await Promise.all(Array.from({ length: 6 }, () => open(name)));
    await replicas[0]!.createInteraction(record('v1_a', Date.now() + 60_000));
    // Every replica works on the same tables.
    for (const replica of replicas) expect((await replica.getInteraction('v1_a', null))?.id).toBe('v1_a');
    const versions = await withClient(name, (c) => c.query('SELECT version FROM interplay_schema'));
    expect(versions.rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
  });

  it('keeps its tables in the schema the URL names, and nowhere else', async () => {
    const name = schema();
    const store = await open(name);
    expect(store.schema).toBe(name);
    expect(store.describe()).toMatchObject({ host: '127.0.0.1', schema: name });
    const tables = await withClient(name, (c) =>
      c.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [name],
      ),
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'agents',
      'events',
      'files',
      'interactions',
      'interplay_schema',
      'upload_chunks',
      'upload_sessions',
      'webhook_deliveries',
      'webhook_keys',
      'webhooks',
    ]);
  });

  it('keeps an upload session where every replica reads it; a chunk races onto an offset once', async () => {
    const name = schema();
    const [a, b] = [(await open(name)).uploadSessions(), (await open(name)).uploadSessions()];
    const session = await a.create({ owner: 'k', name: 'files/report', mimeType: 'text/plain' });
    expect(await b.nameTaken('files/report', 'k')).toBe(true);
    expect(await b.nameTaken('files/report', null)).toBe(false);
    const racing = await Promise.all([
      b.append(session.id, 0, Buffer.from('hello ')),
      a.append(session.id, 0, Buffer.from('HELLO ')),
    ]);
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect(await a.append(session.id, 6, Buffer.from('world'))).toBe(true);
    expect((await b.get(session.id))?.received).toBe(11);
    expect(String(await b.take(session.id))).toMatch(/^(hello|HELLO) world$/);
    expect(await a.get(session.id)).toBeUndefined();
    expect(await a.take(session.id)).toBeUndefined();
  });

  it('refuses a schema written by a newer server, a bad schema name and a URL that is not postgres', async () => {
    const name = schema();
    await (await open(name)).close();
    await withClient(name, (c) => c.query('UPDATE interplay_schema SET version = version + 1'));
    await expect(open(name)).rejects.toMatchObject({ code: 'schema', message: /newer than this server/ });

    await expect(PostgresStore.open({ url: TEST_PG_URL, schema: 'no-dashes; DROP' })).rejects.toThrow(
      StoreError,
    );
    await expect(PostgresStore.open({ url: 'mysql://localhost/db' })).rejects.toThrow(
      /must start with postgres:\/\//,
    );
  });

  it('sweeps on one replica at a time: a replica finding the sweep lock taken skips its turn', async () => {
    const name = schema();
    const [a, b] = [await open(name), await open(name)];
    for (let i = 0; i < 10; i++) await a.createInteraction(record(`v1_old${i}`, 1_000));
    await withClient(name, async (holder) => {
      // Another replica's sweep holds the lock.
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLockKey('sweep', name)]);
      expect(await a.expire(5_000)).toBe(0);
      expect(await b.expire(5_000)).toBe(0);
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLockKey('sweep', name)]);
    });
    // Both try at once: each row is removed once, by whichever got the lock.
    const removed = await Promise.all([a.expire(5_000), b.expire(5_000)]);
    expect(removed.sort()).toEqual([0, 10]);
    expect(await a.expire(5_000)).toBe(0);
  });

  it('fails to open with the reason when the server cannot be reached or refuses the login', async () => {
    const url = new URL(TEST_PG_URL);
    url.port = '1'; // nothing listens there
    await expect(PostgresStore.open({ url: url.toString() })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(
        /^Could not connect to Postgres at 127\.0\.0\.1:1\/interplay_test: .*ECONNREFUSED/,
      ),
    });
    const wrongPassword = new URL(TEST_PG_URL);
    wrongPassword.password = 'not-the-password';
    await expect(PostgresStore.open({ url: wrongPassword.toString() })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/password authentication failed/),
    });
  });
});
