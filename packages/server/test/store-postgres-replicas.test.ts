/**
 * How replicas coordinate through the Postgres store (store/replica-store.ts): leases on running
 * interactions, claims of queued and abandoned runs, writes refused to a replica that lost its lease, and
 * the notices replicas send each other. Each replica is a store of its own on one schema. A lease that lapsed
 * is written as one (its `lease_until` in the past): what a replica that stopped renewing leaves behind.
 */
import type { CanonicalEvent } from '@interplay/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { notificationChannel } from '../src/store/postgres-notifications.ts';
import { PostgresStore } from '../src/store/postgres-store.ts';
import type { ReplicaNotice } from '../src/store/replica-store.ts';
import { dropSchemas, newSchemaName, requirePostgres, schemaUrl, withClient } from './helpers/postgres.ts';
import { runningRecord } from './helpers/records.ts';

const stores: PostgresStore[] = [];
const schemas: string[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await dropSchemas(schemas.splice(0));
});

/** `n` replicas on one new schema. */
async function replicas(n: number): Promise<{ schema: string; stores: PostgresStore[] }> {
  await requirePostgres();
  const schema = newSchemaName();
  schemas.push(schema);
  const opened: PostgresStore[] = [];
  for (let i = 0; i < n; i++) {
    const store = await PostgresStore.open({
      url: schemaUrl(schema),
      poolSize: 3,
      replicaId: `replica-${i}`,
    });
    stores.push(store);
    opened.push(store);
  }
  return { schema, stores: opened };
}

const record = runningRecord;

const event = (n: number) => ({
  event: { event_type: 'step.delta', index: 0, delta: { type: 'text', text: `w${n}` } } as CanonicalEvent,
});

/** The lease of `id` lapses, as when its replica stopped renewing it. */
const lapse = (schema: string, id: string) =>
  withClient(schema, (c) => c.query('UPDATE interactions SET lease_until = 0 WHERE id = $1', [id]));

/** Resolves with the first notice `store` hears that `match` accepts. */
async function heard(
  store: PostgresStore,
  match: (n: ReplicaNotice) => boolean,
): Promise<() => Promise<ReplicaNotice>> {
  let resolve!: (n: ReplicaNotice) => void;
  const got = new Promise<ReplicaNotice>((r) => {
    resolve = r;
  });
  const stop = await store.listen((n) => {
    if (match(n)) resolve(n);
  });
  return async () => {
    const n = await got;
    stop();
    return n;
  };
}

describe('leases', () => {
  it('a running interaction is written only by the replica holding its lease', async () => {
    const {
      stores: [a, b],
    } = await replicas(2);
    await a!.createInteraction(record('v1_run'));
    await a!.appendEvents('v1_run', [event(1)], 1);
    await expect(b!.appendEvents('v1_run', [event(2)], 2)).rejects.toMatchObject({ code: 'lease_lost' });
    await expect(b!.appendEvents('v1_run', [event(2)])).rejects.toMatchObject({ code: 'lease_lost' });
    await expect(b!.finishInteraction('v1_run', { status: 'failed' }, [], 2)).rejects.toMatchObject({
      code: 'lease_lost',
    });
    await a!.finishInteraction('v1_run', { status: 'completed' }, [event(2)], 2);
    expect((await b!.getInteraction('v1_run', null))?.status).toBe('completed');
    expect((await b!.listEvents('v1_run')).map((e) => e.eventId)).toEqual(['evt_1', 'evt_2']);
    // Finished, it is nobody's: not renewed, not claimable.
    expect(await a!.renewLeases()).toEqual(new Set());
    expect(await b!.claimRuns({ background: true, limit: 10 })).toEqual([]);
  });

  it('renewing keeps a lease; once it lapsed, another replica claims the run and the first writes nothing more', async () => {
    const {
      schema,
      stores: [a, b],
    } = await replicas(2);
    await a!.createInteraction(record('v1_bg'));
    await a!.createInteraction(record('v1_fg', { background: false }));
    expect(await a!.renewLeases()).toEqual(new Set(['v1_bg', 'v1_fg']));
    expect(await b!.claimRuns({ background: true, limit: 10 })).toEqual([]);
    expect(await b!.claimRuns({ background: false, limit: 10 })).toEqual([]);

    await lapse(schema, 'v1_bg');
    await lapse(schema, 'v1_fg');
    // Background runs are claimed to be run (within the free slots), the others to be ended.
    const [bg] = await b!.claimRuns({ background: true, limit: 10 });
    expect(bg).toMatchObject({ record: { id: 'v1_bg', status: 'in_progress' }, cancelRequested: false });
    const [fg] = await b!.claimRuns({ background: false, limit: 10 });
    expect(fg?.record.id).toBe('v1_fg');
    expect(await a!.renewLeases()).toEqual(new Set());
    expect(await b!.renewLeases()).toEqual(new Set(['v1_bg', 'v1_fg']));
    await expect(a!.appendEvents('v1_bg', [event(1)], 1)).rejects.toMatchObject({ code: 'lease_lost' });
    await b!.appendEvents('v1_bg', [event(1)], 1);
    expect(await a!.listEvents('v1_bg')).toHaveLength(1);
  });

  it('claims each run once when replicas claim at the same moment, oldest first, within their limit', async () => {
    const {
      stores: [a, b, c],
    } = await replicas(3);
    const ids = Array.from({ length: 30 }, (_, i) => `v1_q${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) {
      const created = `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`;
      await a!.createInteraction(record(id, { status: 'queued', created }));
      await a!.releaseLease(id);
    }
    const claims = await Promise.all([a, b, c].map((s) => s!.claimRuns({ background: true, limit: 12 })));
    const claimed = claims.flat().map((r) => r.record.id);
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed).size).toBe(30);
    for (const batch of claims) {
      expect(batch.length).toBeLessThanOrEqual(12);
      const mine = batch.map((r) => r.record.id);
      expect(mine).toEqual([...mine].sort());
    }
    // Claimed as queued; running from now on, for every replica that reads it.
    expect(claims.flat().every((r) => r.record.status === 'queued')).toBe(true);
    expect((await b!.getInteraction('v1_q07', null))?.status).toBe('in_progress');
  });

  it('gives a lease back for any replica to claim at once, and tells them', async () => {
    const {
      stores: [a, b],
    } = await replicas(2);
    await a!.createInteraction(record('v1_handover'));
    const queued = await heard(b!, (n) => n.kind === 'queued');
    await a!.releaseLease('v1_handover');
    expect(await queued()).toEqual({ kind: 'queued' });
    const [claimed] = await b!.claimRuns({ background: true, limit: 1 });
    expect(claimed?.record.id).toBe('v1_handover');
    // Only its holder can give a lease back.
    await a!.releaseLease('v1_handover');
    expect(await b!.renewLeases()).toEqual(new Set(['v1_handover']));
  });
});

describe('cancel, delete and events across replicas', () => {
  it('a cancel asked anywhere reaches the replica running the run; a run nobody holds is claimed to be ended', async () => {
    const {
      schema,
      stores: [a, b],
    } = await replicas(2);
    await a!.createInteraction(record('v1_c'));
    const cancel = await heard(a!, (n) => n.kind === 'cancel');
    expect(await b!.requestCancel('v1_c')).toBe(true);
    expect(await cancel()).toEqual({ kind: 'cancel', id: 'v1_c' });
    expect(await b!.requestCancel('v1_missing')).toBe(false);

    // Its replica died before ending it: the cancel is carried out by whoever claims it — as one to end.
    await lapse(schema, 'v1_c');
    expect(await b!.claimRuns({ background: true, limit: 5 })).toEqual([]);
    const [claimed] = await b!.claimRuns({ background: false, limit: 5 });
    expect(claimed).toMatchObject({ record: { id: 'v1_c' }, cancelRequested: true });

    await expect(a!.finishInteraction('v1_c', { status: 'completed' }, [], 1)).rejects.toMatchObject({
      code: 'lease_lost',
    });
    expect(await b!.requestCancel('v1_c')).toBe(true); // still running (b holds it now)
    await b!.finishInteraction('v1_c', { status: 'cancelled' }, [], 1);
    expect(await b!.requestCancel('v1_c')).toBe(false);
  });

  it('claims one queued run by id (to cancel it before it starts)', async () => {
    const {
      stores: [a, b],
    } = await replicas(2);
    await a!.createInteraction(record('v1_wait', { status: 'queued' }));
    expect(await b!.claimRun('v1_wait')).toBeUndefined(); // a still holds it
    await a!.releaseLease('v1_wait');
    expect((await b!.claimRun('v1_wait'))?.record).toMatchObject({ id: 'v1_wait', status: 'queued' });
    expect(await a!.claimRun('v1_wait')).toBeUndefined();
  });

  it('tells every replica when events are written and when an interaction is deleted', async () => {
    const {
      stores: [a, b],
    } = await replicas(2);
    await a!.createInteraction(record('v1_e'));
    const written = await heard(b!, (n) => n.kind === 'events');
    await a!.appendEvents('v1_e', [event(1)], 1);
    expect(await written()).toEqual({ kind: 'events', id: 'v1_e' });
    const ended = await heard(b!, (n) => n.kind === 'events');
    await a!.finishInteraction('v1_e', { status: 'completed' }, [event(2)], 2);
    expect(await ended()).toEqual({ kind: 'events', id: 'v1_e' });
    const deleted = await heard(a!, (n) => n.kind === 'delete');
    expect(await b!.deleteInteraction('v1_e', null)).toBe(true);
    expect(await deleted()).toEqual({ kind: 'delete', id: 'v1_e' });
  });

  it('hears notices again after its connection is cut, and says it reconnected', async () => {
    const {
      schema,
      stores: [a, b],
    } = await replicas(2);
    const reconnected = await heard(b!, (n) => n.kind === 'reconnected');
    // The database ends the listening connection (as a restart or a network cut would).
    await withClient(schema, (c) =>
      c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'interplay' AND query = $1`,
        [`LISTEN ${notificationChannel(schema)}`],
      ),
    );
    await reconnected();
    await a!.createInteraction(record('v1_after'));
    const written = await heard(b!, (n) => n.kind === 'events' && n.id === 'v1_after');
    await a!.appendEvents('v1_after', [event(1)], 1);
    expect(await written()).toEqual({ kind: 'events', id: 'v1_after' });
  });
});
