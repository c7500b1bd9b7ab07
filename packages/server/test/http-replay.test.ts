/** GET ?stream=true: replay from the start, resume after last_event_id, live tail without gaps or duplicates. */
import { afterAll, describe, expect, it } from 'vitest';
import { heldBackgroundRun } from './helpers/engines.ts';
import { call, closeAll, events, startServer, textScript, waitFor } from './helpers/server.ts';

afterAll(closeAll);

const LEGACY = { 'api-revision': '2026-05-07' };
const ids = (evs: { event_id: string }[]) => evs.map((e) => e.event_id);
const tick = () => new Promise((r) => setImmediate(r));

describe('replay of a finished interaction', () => {
  it('replays from the start and resumes right after last_event_id (steps and legacy)', async () => {
    const t = await startServer({ script: textScript('one two three four five') });
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi', stream: true },
    });
    const all = events(post.text);
    const id = all[0].interaction.id;
    expect(ids(all)).toEqual(all.map((_, i) => `evt_${i + 1}`));

    const full = events((await call(`${t.url}/v1beta/interactions/${id}?stream=true`)).text);
    expect(full).toEqual(all);
    const resumed = events(
      (await call(`${t.url}/v1beta/interactions/${id}?stream=true&last_event_id=evt_5`)).text,
    );
    expect(resumed).toEqual(all.slice(5));
    const fromLast = events(
      (await call(`${t.url}/v1beta/interactions/${id}?stream=true&last_event_id=${all.at(-1).event_id}`))
        .text,
    );
    expect(fromLast).toEqual([]);

    const legacyAll = events(
      (await call(`${t.url}/v1beta/interactions/${id}?stream=true`, { headers: LEGACY })).text,
    );
    expect(legacyAll.map((e) => e.event_type)).toContain('content.delta');
    for (const [k, e] of legacyAll.entries()) {
      const after = events(
        (
          await call(`${t.url}/v1beta/interactions/${id}?stream=true&last_event_id=${e.event_id}`, {
            headers: LEGACY,
          })
        ).text,
      );
      expect(after).toEqual(legacyAll.slice(k + 1));
    }
  });

  it('replays a create answered at once (its log written with its row) as its final state tells', async () => {
    const t = await startServer({ script: textScript('one two three') });
    const post = await call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input: 'Hi' } });
    const { id, created, updated, usage } = post.json;
    const all = events((await call(`${t.url}/v1beta/interactions/${id}?stream=true`)).text);
    const head = { id, status: 'in_progress', object: 'interaction', model: 'm', created };
    expect(all.slice(0, 2)).toStrictEqual([
      { event_type: 'interaction.created', interaction: { ...head, updated: created }, event_id: 'evt_1' },
      {
        event_type: 'interaction.status_update',
        interaction_id: id,
        status: 'in_progress',
        event_id: 'evt_2',
      },
    ]);
    expect(all.slice(-2)).toStrictEqual([
      {
        event_type: 'interaction.status_update',
        interaction_id: id,
        status: 'completed',
        usage,
        event_id: `evt_${all.length - 1}`,
      },
      {
        event_type: 'interaction.completed',
        interaction: { ...head, status: 'completed', updated, usage },
        event_id: `evt_${all.length}`,
      },
    ]);
    for (const headers of [{}, LEGACY]) {
      const replay = events((await call(`${t.url}/v1beta/interactions/${id}?stream=true`, { headers })).text);
      for (const [k, e] of replay.entries()) {
        const url = `${t.url}/v1beta/interactions/${id}?stream=true&last_event_id=${e.event_id}`;
        expect(events((await call(url, { headers })).text)).toEqual(replay.slice(k + 1));
      }
    }
  });

  it('an unknown last_event_id is 400 naming last_event_id', async () => {
    const t = await startServer({ script: textScript('hello') });
    const post = await call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input: 'Hi' } });
    for (const bad of ['evt_999', 'nonsense', 'evt_0']) {
      const reply = await call(
        `${t.url}/v1beta/interactions/${post.json.id}?stream=true&last_event_id=${bad}`,
      );
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe('invalid_request');
      expect(reply.json.error.message).toContain('last_event_id');
    }
  });
});

/** Read an SSE response incrementally; `text()` resolves when it ends. */
function reader(res: Response) {
  const decoder = new TextDecoder();
  let text = '';
  const done = (async () => {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      text += decoder.decode(chunk, { stream: true });
    return text;
  })();
  return { done, now: () => text };
}

describe('live tail of a running interaction', () => {
  it('readers joining at any moment get every event once, in order, until the end', async () => {
    const { t, id, turn } = await heldBackgroundRun();
    const url = `${t.url}/v1beta/interactions/${id}?stream=true`;

    const readers: { after: number; legacy: boolean; r: ReturnType<typeof reader> }[] = [];
    const joining: Promise<void>[] = [];
    // Not awaited: readers connect while events keep coming and batches are being written.
    const join = (after: number, legacy = false) => {
      const q = after > 0 ? `&last_event_id=evt_${after}` : '';
      joining.push(
        fetch(url + q, { headers: legacy ? LEGACY : {} }).then((res) => {
          expect(res.status).toBe(200);
          readers.push({ after, legacy, r: reader(res) });
        }),
      );
    };

    join(0);
    turn.sink.emit({ event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } });
    // Deltas spread over many ticks so batched writes to the store happen while readers join.
    for (let i = 0; i < 400; i++) {
      turn.sink.emit({ event_type: 'step.delta', index: 0, delta: { type: 'text', text: `w${i} ` } });
      if (i % 3 === 0) await tick();
      if (i % 40 === 5) join(0);
      if (i % 40 === 15) join(Math.max(1, i - 10));
      if (i % 40 === 25) join(0, true);
      if (i % 40 === 35) join(i);
    }
    turn.sink.emit({ event_type: 'step.stop', index: 0 });
    join(0);
    await Promise.all(joining);
    expect(readers.length).toBe(42);
    turn.finish({
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'done' }] }],
      usage: { total_tokens: 1 },
    });
    const texts = await Promise.all(readers.map((x) => x.r.done));
    const final = events((await call(url)).text);
    expect(final.at(-1).event_type).toBe('interaction.completed');
    expect(ids(final)).toEqual(final.map((_, i) => `evt_${i + 1}`));
    const finalLegacy = events((await call(url, { headers: LEGACY })).text);
    readers.forEach((x, k) => {
      const got = events(texts[k] as string);
      if (x.legacy) expect(got).toEqual(finalLegacy);
      else expect(got).toEqual(final.slice(x.after));
    });
  });

  it('GET (JSON) of a running interaction shows in_progress with the output so far', async () => {
    const { t, id, turn } = await heldBackgroundRun();
    turn.text(0, ['partial', 'answer']);
    const got = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(got.json.status).toBe('in_progress');
    expect(got.json.steps).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'Hi' }] },
      { type: 'model_output', content: [{ type: 'text', text: 'partial answer' }] },
    ]);
    const live = await fetch(`${t.url}/v1beta/interactions/${id}?stream=true`);
    const r = reader(live);
    await waitFor(async () => (r.now().includes('answer') ? true : undefined));
    expect(r.now()).toContain('partial');
    expect(r.now()).not.toContain('[DONE]');
    turn.finish({ status: 'requires_action', output: [], usage: {} });
    const evs = events(await r.done);
    expect(evs.at(-1).interaction.status).toBe('requires_action');
  });
});
