/** `wait()` following background interactions over real loopback HTTP, with dropped streams and fallbacks. */
import { encodeSseEvent, type InteractionStatus, SSE_DONE_FRAME } from '@interplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, type StreamEvent } from '../src/index.ts';
import { EXTERNAL_TARGET, modelFor, STREAM_GET, startTarget, type TestTarget } from './support/target.ts';
import { collect } from './support/util.ts';

const BY_ID = /\/interactions\/[^/?]+$/;
const GET_PLAIN = /\/interactions\/[^/?]+(\?(?!.*stream=true).*)?$/;

describe.each(['steps', 'legacy'] as const)('wait (%s revision)', (revision) => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget({ eventIntervalMs: 40 });
  });
  afterAll(() => t.close());
  const background = () => ({
    model: modelFor(t, `client-${revision}-story`),
    input: 'Research this',
    background: true,
  });

  it('follows a background interaction through a dropped stream to completion', async () => {
    const client = t.client({ revision });
    const started = await client.create(background());
    expect(started.interaction.status).toBe('in_progress');
    const id = started.interaction.id;
    t.proxy.addFault({ method: 'GET', path: STREAM_GET, afterEvents: 3, finish: 'destroy' });
    const streamsBefore = t.proxy.count('GET', STREAM_GET);
    const statuses: [InteractionStatus, InteractionStatus | undefined][] = [];
    const events: StreamEvent[] = [];
    const result = await client.wait(id, {
      onStatus: (s, prev) => statuses.push([s, prev]),
      onEvent: (e) => events.push(e),
    });
    expect(result.interaction.status).toBe('completed');
    expect(result.raw.status).toBe('completed');
    expect(statuses).toEqual([
      ['in_progress', undefined],
      ['completed', 'in_progress'],
    ]);
    const streamGets = t.proxy.requests
      .filter((r) => r.method === 'GET' && STREAM_GET.test(r.url))
      .slice(streamsBefore);
    expect(streamGets).toHaveLength(2);
    const cursor = events[2]?.raw.event_id as string;
    expect(new URL(streamGets[1]?.url ?? '', 'http://x').searchParams.get('last_event_id')).toBe(cursor);
    // Every event exactly once, in order.
    const replay = await collect(await client.getStream(id));
    expect(events.map((e) => e.raw)).toEqual(replay.map((e) => e.raw));
    expect(result.interaction.output.length).toBeGreaterThan(0);
  });

  it('falls back to polling when streaming is not supported', async () => {
    const client = t.client({ revision });
    const { interaction } = await client.create(background());
    t.proxy.addFault({
      method: 'GET',
      path: STREAM_GET,
      times: 50,
      respond: {
        status: 501,
        body: JSON.stringify({ error: { code: 'unimplemented', message: 'no streams' } }),
      },
    });
    const streamsBefore = t.proxy.count('GET', STREAM_GET);
    const pollsBefore = t.proxy.count('GET', GET_PLAIN);
    const statuses: InteractionStatus[] = [];
    const result = await client.wait(interaction.id, {
      pollIntervalMs: 50,
      onStatus: (s) => statuses.push(s),
    });
    t.proxy.clearFaults();
    expect(result.interaction.status).toBe('completed');
    expect(t.proxy.count('GET', STREAM_GET) - streamsBefore).toBe(1);
    expect(t.proxy.count('GET', GET_PLAIN) - pollsBefore).toBeGreaterThanOrEqual(2);
    expect(statuses.at(-1)).toBe('completed');
  });

  it('falls back to polling after repeated stream failures', async () => {
    const client = t.client({ revision });
    const { interaction } = await client.create(background());
    t.proxy.addFault({ method: 'GET', path: STREAM_GET, times: 50, reset: true });
    const streamsBefore = t.proxy.count('GET', STREAM_GET);
    const pollsBefore = t.proxy.count('GET', GET_PLAIN);
    const result = await client.wait(interaction.id, {
      pollIntervalMs: 50,
      maxStreamFailures: 2,
      maxRetries: 0,
    });
    t.proxy.clearFaults();
    expect(result.interaction.status).toBe('completed');
    expect(t.proxy.count('GET', STREAM_GET) - streamsBefore).toBe(2);
    expect(t.proxy.count('GET', GET_PLAIN) - pollsBefore).toBeGreaterThanOrEqual(1);
  });

  it('polls with growing intervals when stream: false', async () => {
    const client = t.client({ revision });
    const { interaction } = await client.create(background());
    const streamsBefore = t.proxy.count('GET', STREAM_GET);
    const start = t.proxy.requests.length;
    const result = await client.wait(interaction.id, {
      stream: false,
      pollIntervalMs: 60,
      maxPollIntervalMs: 200,
    });
    expect(result.interaction.status).toBe('completed');
    expect(t.proxy.count('GET', STREAM_GET)).toBe(streamsBefore);
    const times = t.proxy.requests.slice(start).map((r) => r.at);
    expect(times.length).toBeGreaterThanOrEqual(3);
    const gaps = times.slice(1).map((at, i) => at - (times[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(55);
    expect(Math.max(...gaps)).toBeLessThan(400);
  });

  it('cancelOnAbort cancels the interaction when the wait is aborted', async () => {
    const client = t.client({ revision });
    const { interaction } = await client.create(background());
    const ac = new AbortController();
    // Aborted while it follows: at its first event.
    const error = await client
      .wait(interaction.id, { signal: ac.signal, cancelOnAbort: true, onEvent: () => ac.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    const cancels = t.proxy.requests.filter(
      (r) => r.method === 'POST' && r.url.endsWith(`/${interaction.id}/cancel`),
    );
    expect(cancels).toHaveLength(1);
    expect((await client.get(interaction.id)).interaction.status).toBe('cancelled');
  });

  it('without cancelOnAbort an abort leaves the interaction running', async () => {
    const client = t.client({ revision });
    const { interaction } = await client.create(background());
    const ac = new AbortController();
    await expect(
      client.wait(interaction.id, { signal: ac.signal, onEvent: () => ac.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(t.proxy.requests.some((r) => r.url.endsWith(`/${interaction.id}/cancel`))).toBe(false);
    expect((await client.wait(interaction.id)).interaction.status).toBe('completed');
  });
});

describe('wait returns requires_action to the caller', () => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget({ eventIntervalMs: 20 });
  });
  afterAll(() => t.close());

  it.skipIf(Boolean(EXTERNAL_TARGET))('from a background function call (fake target)', async () => {
    const client = t.client();
    const { interaction } = await client.create({
      model: modelFor(t, 'client-steps-function-call'),
      input: 'Weather in Boston?',
      background: true,
    });
    const result = await client.wait(interaction.id);
    expect(result.interaction.status).toBe('requires_action');
    expect(result.interaction.output.some((i) => i.type === 'function_call')).toBe(true);
  });

  it('without polling forever (canned responses)', async () => {
    const client = t.client();
    const id = 'v1_needs_tool';
    const events = [
      { event_type: 'interaction.created', interaction: { id, status: 'in_progress' }, event_id: 'a' },
      {
        event_type: 'interaction.status_update',
        interaction_id: id,
        status: 'requires_action',
        event_id: 'b',
      },
      { event_type: 'interaction.completed', interaction: { id, status: 'requires_action' }, event_id: 'c' },
    ];
    t.proxy.addFault({
      method: 'GET',
      path: STREAM_GET,
      respond: {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: events.map((e) => encodeSseEvent(e)).join('') + SSE_DONE_FRAME,
      },
    });
    t.proxy.addFault({
      method: 'GET',
      path: BY_ID,
      times: 5,
      respond: { status: 200, body: JSON.stringify({ id, status: 'requires_action', steps: [] }) },
    });
    const before = t.proxy.count('GET', BY_ID);
    const statuses: InteractionStatus[] = [];
    const result = await client.wait(id, { onStatus: (s) => statuses.push(s), pollIntervalMs: 20 });
    t.proxy.clearFaults();
    expect(result.interaction.status).toBe('requires_action');
    expect(statuses).toEqual(['in_progress', 'requires_action']);
    expect(t.proxy.count('GET', BY_ID) - before).toBe(1);
  });
});

describe('isSettled', () => {
  it('returns on statuses that need the caller or end the run, and keeps waiting on the rest', async () => {
    const { isSettled } = await import('../src/index.ts');
    for (const s of [
      'completed',
      'failed',
      'cancelled',
      'incomplete',
      'budget_exceeded',
      'requires_action',
      'requires_continuation',
      'idle',
    ]) {
      expect(isSettled(s as InteractionStatus)).toBe(true);
    }
    for (const s of ['queued', 'in_progress', 'a_status_from_the_future'])
      expect(isSettled(s as InteractionStatus)).toBe(false);
  });
});
