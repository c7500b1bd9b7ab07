/**
 * Streaming over real loopback HTTP through the fault proxy: every response body is re-chunked at random
 * byte boundaries; cuts, truncations and stripped event ids exercise resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../src/index.ts';
import { CREATE, modelFor, STREAM_GET, startTarget, type TestTarget } from './support/target.ts';
import { CANONICAL_TYPES, collect, outputText, shape, streamedText } from './support/util.ts';

const REVISIONS = ['steps', 'legacy'] as const;

describe.each(REVISIONS)('streams (%s revision)', (revision) => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(() => t.close());
  const story = () => ({ model: modelFor(t, `client-${revision}-story`), input: 'Tell me a story' });

  it('yields the recorded events, split at random byte boundaries, with canonical equivalents', async () => {
    const client = t.client({ revision });
    const stream = await client.stream(story());
    const got = await collect(stream);
    if (t.fake) {
      expect(got.map((e) => shape(e.raw))).toEqual(t.fake.eventsOf(`client-${revision}-story`).map(shape));
    }
    const canonical = got.flatMap((e) => e.events);
    expect(canonical.length).toBeGreaterThanOrEqual(got.length - 1);
    for (const e of canonical) expect(CANONICAL_TYPES.has(e.event_type)).toBe(true);
    expect(canonical[0]?.event_type).toBe('interaction.created');
    expect(canonical.at(-1)?.event_type).toBe('interaction.completed');
    const final = await stream.finalInteraction();
    expect(final.status).toBe('completed');
    expect(final.id).toBe(stream.interactionId);
    expect(outputText(final)).toBe(streamedText(canonical));
    expect(outputText(final).length).toBeGreaterThan(0);
    // The POST carried stream:true and the revision header.
    const post = t.proxy.requests.filter((r) => r.method === 'POST').at(-1);
    expect(JSON.parse(post?.body ?? '{}').stream).toBe(true);
    expect(post?.headers['api-revision']).toBe(revision === 'steps' ? '2026-05-20' : '2026-05-07');
    expect(post?.headers.accept).toBe('text/event-stream');
  });

  it('a stream cut mid-way resumes with last_event_id: no event lost or repeated', async () => {
    const client = t.client({ revision });
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 5, finish: 'destroy' });
    const before = t.proxy.count('GET', STREAM_GET);
    const stream = await client.stream(story());
    const got = await collect(stream);
    expect(stream.resumes).toBe(1);
    const resumes = t.proxy.requests
      .filter((r) => r.method === 'GET' && STREAM_GET.test(r.url))
      .slice(before);
    expect(resumes).toHaveLength(1);
    const cursor = got[4]?.raw.event_id;
    expect(cursor).toBeTruthy();
    expect(new URL(resumes[0]?.url ?? '', 'http://x').searchParams.get('last_event_id')).toBe(cursor);
    // Reference: the same interaction replayed from the start, uninterrupted.
    const replay = await collect(await client.getStream(stream.interactionId as string));
    expect(got.map((e) => e.raw)).toEqual(replay.map((e) => e.raw));
    const ids = got.map((e) => e.raw.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await stream.finalInteraction()).status).toBe('completed');
  });

  it('survives a cut on the resumed connection too', async () => {
    const client = t.client({ revision });
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 3, finish: 'destroy' });
    t.proxy.addFault({ method: 'GET', path: STREAM_GET, afterEvents: 2, finish: 'destroy' });
    const stream = await client.stream(story());
    const got = await collect(stream);
    expect(stream.resumes).toBe(2);
    const replay = await collect(await client.getStream(stream.interactionId as string));
    expect(got.map((e) => e.raw)).toEqual(replay.map((e) => e.raw));
  });

  it('resumes after a truncated last frame and a clean EOF (the 600 s cut)', async () => {
    const client = t.client({ revision });
    const partial = `data: {"event_type":"${revision === 'steps' ? 'step.delta' : 'content.delta'}","index":1,"del`;
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 6, inject: partial, finish: 'end' });
    const stream = await client.stream(story());
    const got = await collect(stream);
    expect(stream.resumes).toBe(1);
    const replay = await collect(await client.getStream(stream.interactionId as string));
    expect(got.map((e) => e.raw)).toEqual(replay.map((e) => e.raw));
  });

  it('without event ids, skips the events a from-the-start replay repeats', async () => {
    const client = t.client({ revision });
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      afterEvents: 4,
      finish: 'destroy',
      stripEventIds: true,
    });
    t.proxy.addFault({ method: 'GET', path: STREAM_GET, stripEventIds: true });
    const before = t.proxy.count('GET', STREAM_GET);
    const stream = await client.stream(story());
    const got = await collect(stream);
    expect(stream.resumes).toBe(1);
    const resume = t.proxy.requests.filter((r) => r.method === 'GET' && STREAM_GET.test(r.url))[before];
    expect(resume?.url).not.toContain('last_event_id');
    const replay = await collect(await client.getStream(stream.interactionId as string));
    expect(got.map((e) => shape(e.raw))).toEqual(replay.map((e) => shape(e.raw)));
  });

  it('with resume: false a cut is a ConnectionError and nothing is re-requested', async () => {
    const client = t.client({ revision });
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 3, finish: 'destroy' });
    const before = t.proxy.count('GET', STREAM_GET);
    const stream = await client.stream(story(), { resume: false });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const e of stream) seen.push(e);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('connection_error');
    expect(seen).toHaveLength(3);
    expect(t.proxy.count('GET', STREAM_GET)).toBe(before);
  });

  it('does not resume an interaction created with store: false', async () => {
    const client = t.client({ revision });
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 3, finish: 'destroy' });
    const before = t.proxy.count('GET', STREAM_GET);
    const stream = await client.stream({ ...story(), store: false });
    await expect(collect(stream)).rejects.toBeInstanceOf(ConnectionError);
    expect(t.proxy.count('GET', STREAM_GET)).toBe(before);
  });

  it('getStream with lastEventId continues right after that event', async () => {
    const client = t.client({ revision });
    const created = await client.create(story());
    const all = await collect(await client.getStream(created.interaction.id));
    const cursor = all[2]?.raw.event_id as string;
    const rest = await client.getStream(created.interaction.id, { lastEventId: cursor });
    expect(rest.interactionId).toBe(created.interaction.id);
    expect((await collect(rest)).map((e) => e.raw)).toEqual(all.slice(3).map((e) => e.raw));
  });

  it('a consumer that stops early releases the connection', async () => {
    const client = t.client({ revision });
    const stream = await client.stream(story());
    for await (const _ of stream) break;
    await expect(stream.close()).resolves.toBeUndefined();
    // The client still works (pool not wedged).
    expect((await client.create(story())).interaction.status).toBe('completed');
  });
});
