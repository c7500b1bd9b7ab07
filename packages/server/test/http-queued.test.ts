/**
 * `queued`: with `maxBackgroundRuns`, a background run past the cap waits for a slot. Its create answers
 * `queued`, its stream tells `queued` then `in_progress` when the slot comes, `wait()` of our client and SDK
 * 3.6 read the status, a queued run can be cancelled without ever starting, and a foreground run never queues.
 */
import { InteractionsClient } from '@interplay/client';
import { GoogleGenAI } from 'genai-3-6';
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundSlots } from '../src/runtime/background-slots.ts';
import { call, closeAll, events, manyWords, startServer } from './helpers/server.ts';

afterEach(closeAll);

const SLOW = { delay_ms: 10, rules: [{ respond: [{ type: 'text', text: manyWords(60) }] }] };
const create = (url: string, body: Record<string, unknown>) =>
  call(`${url}/v1beta/interactions`, { body: { model: 'gemini-3-flash-preview', input: 'go', ...body } });

describe('a cap on background runs', () => {
  it('queues a background run past the cap and starts it when a slot frees up', async () => {
    const s = await startServer({ script: SLOW, maxBackgroundRuns: 1 });
    const first = await create(s.url, { background: true });
    expect(first.json.status).toBe('in_progress');
    const second = await create(s.url, { background: true });
    expect(second.json.status).toBe('queued');
    expect((await call(`${s.url}/v1beta/interactions/${second.json.id}`)).json.status).toBe('queued');

    const client = new InteractionsClient({
      baseUrl: s.url,
      apiVersion: 'v1beta',
      apiKey: 'k',
      revision: 'steps',
    });
    const statuses: string[] = [];
    const done = await client.wait(second.json.id, { onStatus: (status) => statuses.push(status) });
    expect(done.interaction.status).toBe('completed');
    expect(statuses).toEqual(['queued', 'in_progress', 'completed']);

    // The first ended before the second started: a slot was really held.
    const firstEnd = (await call(`${s.url}/v1beta/interactions/${first.json.id}`)).json;
    expect(firstEnd.status).toBe('completed');
    const replay = events((await call(`${s.url}/v1beta/interactions/${second.json.id}?stream=true`)).text);
    expect(replay.slice(0, 3).map((e) => e.interaction?.status ?? e.status)).toEqual([
      'queued',
      'queued',
      'in_progress',
    ]);
    expect(replay.at(-1)).toMatchObject({
      event_type: 'interaction.completed',
      interaction: { status: 'completed' },
    });
  });

  it('cancels a queued run before it starts; foreground runs are not capped', async () => {
    const s = await startServer({ script: SLOW, maxBackgroundRuns: 1 });
    const first = await create(s.url, { background: true });
    const queued = await create(s.url, { background: true });
    expect(queued.json.status).toBe('queued');
    const cancelled = await call(`${s.url}/v1beta/interactions/${queued.json.id}/cancel`, { method: 'POST' });
    expect(cancelled.json.status).toBe('cancelled');
    const replay = events((await call(`${s.url}/v1beta/interactions/${queued.json.id}?stream=true`)).text);
    expect(replay.map((e) => e.event_type)).not.toContain('step.start');
    // Its slot was never taken: the next one starts as soon as the first ends.
    const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: s.url } });
    const third = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'go',
      background: true,
    });
    expect(third.status).toBe('queued');
    // The cap is full, and a foreground run answers all the same.
    const foreground = await create(s.url, {});
    expect(foreground.json.status).toBe('completed');
    const client = new InteractionsClient({
      baseUrl: s.url,
      apiVersion: 'v1beta',
      apiKey: 'k',
      revision: 'steps',
    });
    await client.wait(first.json.id);
    expect((await client.wait(third.id as string)).interaction.status).toBe('completed');
    expect((await ai.interactions.get(third.id as string)).status).toBe('completed');
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => new BackgroundSlots(0)).toThrow(/positive integer/);
    expect(() => new BackgroundSlots(1.5)).toThrow(/positive integer/);
  });
});
