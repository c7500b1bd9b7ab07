/**
 * The store contract (store/store.ts) for interactions: what every store — SQLite and Postgres — must do the
 * same. Events, files and the inspector's list have contract files of their own; what only one store has
 * (SQLite's file and migrations, Postgres's advisory locks) is tested apart.
 */
import { describe, expect, it } from 'vitest';
import { type Store, StoreError } from '../src/store/store.ts';
import { completedRecord, fullRecord, modelText, userText } from './helpers/records.ts';
import { storeKinds } from './helpers/store-kinds.ts';

describe.each(storeKinds())('store contract: interactions ($name)', (kind) => {
  it('round-trips a full record and writes its end', async () => {
    const store = await kind.open();
    const original = fullRecord();
    await store.createInteraction(original);
    expect(await store.getInteraction(original.id, 'owner-hash')).toStrictEqual(original);

    // Absent optional fields come back absent, not `undefined`.
    const bare = completedRecord('v1_bare');
    await store.createInteraction(bare);
    expect(await store.getInteraction('v1_bare', 'key-a')).toStrictEqual(bare);

    await store.finishInteraction(
      original.id,
      {
        status: 'completed',
        updated: '2026-02-03T04:06:00Z',
        output: [modelText('done')],
        usage: { total_tokens: 99 },
        error: undefined,
      },
      [],
      1,
    );
    const { error: _cleared, ...rest } = original;
    expect(await store.getInteraction(original.id, 'owner-hash')).toStrictEqual({
      ...rest,
      status: 'completed',
      updated: '2026-02-03T04:06:00Z',
      output: [modelText('done')],
      usage: { total_tokens: 99 },
    });

    expect(await store.deleteInteraction(original.id, 'owner-hash')).toBe(true);
    expect(await store.getInteraction(original.id, 'owner-hash')).toBeUndefined();
    expect(await store.deleteInteraction(original.id, 'owner-hash')).toBe(false);
  });

  it('rejects a duplicate id with StoreError(conflict)', async () => {
    const store = await kind.open();
    await store.createInteraction(completedRecord('v1_dup'));
    await expect(store.createInteraction(completedRecord('v1_dup'))).rejects.toMatchObject({
      name: 'StoreError',
      code: 'conflict',
    });
  });

  it('hides rows from other owners; null (open mode) matches only null', async () => {
    const store = await kind.open();
    await store.createInteraction(completedRecord('v1_a', { owner: 'key-a' }));
    await store.createInteraction(completedRecord('v1_open', { owner: null }));

    expect(await store.getInteraction('v1_a', 'key-a')).toBeDefined();
    expect(await store.getInteraction('v1_a', 'key-b')).toBeUndefined();
    expect(await store.getInteraction('v1_a', null)).toBeUndefined();
    expect(await store.getInteraction('v1_open', null)).toBeDefined();
    expect(await store.getInteraction('v1_open', 'key-a')).toBeUndefined();

    expect(await store.deleteInteraction('v1_a', 'key-b')).toBe(false);
    expect(await store.deleteInteraction('v1_a', null)).toBe(false);
    expect(await store.deleteInteraction('v1_open', 'key-a')).toBe(false);
    expect(await store.getInteraction('v1_a', 'key-a')).toBeDefined();
    expect(await store.getInteraction('v1_open', null)).toBeDefined();
  });

  it('reopening the same place after close sees the data', async () => {
    const location = kind.newLocation();
    const first = await kind.open(location);
    await first.createInteraction(fullRecord());
    await first.appendEvents('v1_full', [{ event: { event_type: 'step.stop', index: 0 } }]);
    await first.close();
    const second = await kind.open(location);
    expect(await second.getInteraction('v1_full', 'owner-hash')).toStrictEqual(fullRecord());
    expect(await second.listEvents('v1_full')).toHaveLength(1);
  });

  it('rejects every method after close with StoreError(closed)', async () => {
    const store = await kind.open();
    await store.close();
    await store.close(); // idempotent
    const calls: (() => Promise<unknown>)[] = [
      () => store.createInteraction(completedRecord('v1_x')),
      () => store.getInteraction('v1_x', null),
      () => store.finishInteraction('v1_x', { status: 'failed' }, [], 1),
      () => store.finishInteraction('v1_x', {}, [], 1),
      () => store.deleteInteraction('v1_x', null),
      () => store.loadHistory('v1_x'),
      () => store.appendEvents('v1_x', []),
      () => store.listEvents('v1_x'),
      () => store.hasEvent('v1_x', 1),
      () => store.listUnfinished(),
      () => store.listInteractions(null, { pageSize: 10 }),
      () => store.expire(0),
      () => store.getFile('files/x', null),
      () => store.readFileData('files/x', null),
      () => store.updateFile('files/x', null, { state: 'ACTIVE' }),
      () => store.listFiles(null, 10),
      () => store.deleteFile('files/x', null),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ name: 'StoreError', code: 'closed' });
    }
    await expect(store.getInteraction('v1_x', null)).rejects.toBeInstanceOf(StoreError);
  });
});

describe.each(storeKinds())('store contract: history ($name)', (kind) => {
  it('returns input then output of each turn in a 3-turn chain, oldest first', async () => {
    const store = await kind.open();
    await store.createInteraction(
      completedRecord('v1_t1', { request: { input: [userText('q1')], tools: [{ type: 'url_context' }] } }),
    );
    await store.createInteraction(
      completedRecord('v1_t2', { previousId: 'v1_t1', request: { input: [userText('q2')] } }),
    );
    await store.createInteraction(
      completedRecord('v1_t3', {
        previousId: 'v1_t2',
        request: { input: [userText('q3a'), userText('q3b')] },
      }),
    );
    await store.createInteraction(
      completedRecord('v1_other', { request: { input: [userText('unrelated')] } }),
    );

    expect(await store.loadHistory('v1_t3')).toStrictEqual([
      userText('q1'),
      modelText('answer v1_t1'),
      userText('q2'),
      modelText('answer v1_t2'),
      userText('q3a'),
      userText('q3b'),
      modelText('answer v1_t3'),
    ]);
    expect(await store.loadHistory('v1_t1')).toStrictEqual([userText('q1'), modelText('answer v1_t1')]);
    expect(await store.loadHistory('v1_missing')).toStrictEqual([]);
  });

  it('loadChain also names the chain’s interactions and its earliest expiry', async () => {
    const store = await kind.open();
    await store.createInteraction(completedRecord('v1_t1', { expiresAt: 9_000_000_000_000 }));
    await store.createInteraction(
      completedRecord('v1_t2', { previousId: 'v1_t1', expiresAt: 8_000_000_000_000 }),
    );
    await store.createInteraction(
      completedRecord('v1_t3', { previousId: 'v1_t2', expiresAt: 9_500_000_000_000 }),
    );
    const chain = await store.loadChain('v1_t3');
    expect(chain.items).toStrictEqual(await store.loadHistory('v1_t3'));
    expect(chain.ids).toEqual(['v1_t1', 'v1_t2', 'v1_t3']);
    expect(chain.expiresAt).toBe(8_000_000_000_000);
    expect(chain.bytes).toBe(JSON.stringify(chain.items).length);
    // Whose the head is and where it stands, from the same read: a turn continuing it checks both.
    expect(chain.head).toEqual({ owner: 'key-a', status: 'completed' });
    await store.createInteraction(
      completedRecord('v1_t4', { previousId: 'v1_t3', status: 'in_progress', owner: null }),
    );
    expect((await store.loadChain('v1_t4')).head).toEqual({ owner: null, status: 'in_progress' });
    expect(await store.loadChain('v1_missing')).toStrictEqual({
      items: [],
      ids: [],
      expiresAt: Number.POSITIVE_INFINITY,
      bytes: 0,
    });
  });

  it('reads a chain of 500 turns in order', async () => {
    const store = await kind.open();
    let previousId: string | undefined;
    for (let i = 0; i < 500; i++) {
      const id = `v1_c${String(i).padStart(3, '0')}`;
      await store.createInteraction(
        completedRecord(id, {
          previousId,
          request: { input: [userText(`q${i}`)], previous_interaction_id: previousId },
        }),
      );
      previousId = id;
    }
    expect(await store.loadHistory('v1_c001')).toHaveLength(4);
    const history = await store.loadHistory('v1_c499');
    expect(history).toHaveLength(1000);
    expect(history[0]).toStrictEqual(userText('q0'));
    expect(history[999]).toStrictEqual(modelText('answer v1_c499'));
  });

  const chainOf = async (store: Store, ids: string[], from?: string) => {
    let previousId = from;
    for (const id of ids) {
      await store.createInteraction(
        completedRecord(id, { previousId, request: { input: [userText(`q ${id}`)] } }),
      );
      previousId = id;
    }
  };
  const turns = (ids: string[]) => ids.flatMap((id) => [userText(`q ${id}`), modelText(`answer ${id}`)]);

  it('reads only the ancestors of the turn asked for; a deleted link ends the chain there', async () => {
    const store = await kind.open();
    await chainOf(store, ['v1_r', 'v1_a1', 'v1_a2', 'v1_a3']);
    await chainOf(store, ['v1_b1', 'v1_b2'], 'v1_r'); // a sibling branch from the same root
    await chainOf(store, ['v1_c3'], 'v1_a2'); // and one from the middle
    expect(await store.loadHistory('v1_a3')).toStrictEqual(turns(['v1_r', 'v1_a1', 'v1_a2', 'v1_a3']));
    expect(await store.loadHistory('v1_b2')).toStrictEqual(turns(['v1_r', 'v1_b1', 'v1_b2']));
    expect((await store.loadChain('v1_c3')).ids).toEqual(['v1_r', 'v1_a1', 'v1_a2', 'v1_c3']);

    expect(await store.deleteInteraction('v1_a1', 'key-a')).toBe(true);
    expect(await store.loadHistory('v1_a3')).toStrictEqual(turns(['v1_a2', 'v1_a3']));
    expect(await store.loadHistory('v1_b2')).toStrictEqual(turns(['v1_r', 'v1_b1', 'v1_b2']));
  });

  it('reads the same history when the root has been continued hundreds of times', async () => {
    const store = await kind.open();
    await chainOf(store, ['v1_root']);
    for (let i = 0; i < 150; i++) await chainOf(store, [`v1_x${i}`], 'v1_root');
    await chainOf(store, ['v1_d2', 'v1_d3'], 'v1_x7');
    expect(await store.loadHistory('v1_d3')).toStrictEqual(turns(['v1_root', 'v1_x7', 'v1_d2', 'v1_d3']));
    expect(await store.loadHistory('v1_x149')).toStrictEqual(turns(['v1_root', 'v1_x149']));
  });
});

describe.each(storeKinds())('store contract: retention and recovery ($name)', (kind) => {
  it('expire() removes expired interactions with their events and files, keeps the rest', async () => {
    // Reads see "time 0" so nothing is hidden; only expire() decides what goes.
    const store = await kind.open(undefined, { now: () => 0 });
    await store.createInteraction(completedRecord('v1_old', { expiresAt: 1_000 }));
    await store.createInteraction(completedRecord('v1_new', { expiresAt: 10_000 }));
    await store.createInteraction(completedRecord('v1_running', { status: 'in_progress', expiresAt: 1_000 }));
    const event = { event: { event_type: 'step.stop', index: 0 } as const };
    await store.appendEvents('v1_old', [event]);
    await store.appendEvents('v1_new', [event]);
    const file = {
      owner: 'key-a',
      mimeType: 'text/plain',
      sizeBytes: 1,
      state: 'ACTIVE' as const,
      created: '2026-01-01T00:00:00Z',
      updated: '2026-01-01T00:00:00Z',
    };
    await store.createFile({ ...file, name: 'files/old', expiresAt: 1_000 }, new Uint8Array([1]));
    await store.createFile({ ...file, name: 'files/new', expiresAt: 10_000 }, new Uint8Array([2]));

    expect(await store.expire(5_000)).toBe(1);

    expect(await store.getInteraction('v1_old', 'key-a')).toBeUndefined();
    expect(await store.listEvents('v1_old')).toEqual([]);
    expect(await store.getFile('files/old', 'key-a')).toBeUndefined();
    expect(await store.getInteraction('v1_new', 'key-a')).toBeDefined();
    expect(await store.listEvents('v1_new')).toHaveLength(1);
    expect(await store.getFile('files/new', 'key-a')).toBeDefined();
    // A running turn is never swept from under itself.
    expect(await store.getInteraction('v1_running', 'key-a')).toBeDefined();
    expect(await store.expire(5_000)).toBe(0);
  });

  it('hides expired rows from reads before they are swept', async () => {
    let now = 0;
    const store = await kind.open(undefined, { now: () => now });
    await store.createInteraction(completedRecord('v1_t1', { expiresAt: 1_000 }));
    await store.createInteraction(completedRecord('v1_t2', { previousId: 'v1_t1', expiresAt: 5_000 }));
    expect(await store.loadHistory('v1_t2')).toHaveLength(4);
    now = 2_000;
    expect(await store.getInteraction('v1_t1', 'key-a')).toBeUndefined();
    expect(await store.deleteInteraction('v1_t1', 'key-a')).toBe(false);
    expect(await store.loadHistory('v1_t2')).toHaveLength(2);
    await store.finishInteraction('v1_t2', { expiresAt: 1_000_000 }, [], 1);
    now = 100_000;
    expect(await store.getInteraction('v1_t2', 'key-a')).toBeDefined();
  });

  it('listUnfinished returns queued and in_progress rows of every owner', async () => {
    const store = await kind.open();
    await store.createInteraction(completedRecord('v1_q', { status: 'queued', owner: 'key-a' }));
    await store.createInteraction(
      completedRecord('v1_p', { status: 'in_progress', owner: null, background: true }),
    );
    for (const status of ['completed', 'requires_action', 'failed', 'cancelled', 'incomplete'] as const) {
      await store.createInteraction(completedRecord(`v1_${status}`, { status }));
    }
    const unfinished = await store.listUnfinished();
    expect(unfinished.map((r) => r.id).sort()).toEqual(['v1_p', 'v1_q']);
    expect(unfinished.find((r) => r.id === 'v1_p')).toStrictEqual(
      completedRecord('v1_p', { status: 'in_progress', owner: null, background: true }),
    );

    await store.finishInteraction('v1_p', { status: 'failed' }, [], 1);
    expect((await store.listUnfinished()).map((r) => r.id)).toEqual(['v1_q']);
  });
});
