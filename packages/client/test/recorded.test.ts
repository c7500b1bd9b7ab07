/**
 * Every recorded SSE transcript (the protocol package's fixtures of both revisions, plus the client's own),
 * served byte for byte and re-chunked at random boundaries several times: the client must yield exactly the
 * transcript's events, or fail with the typed error the transcript calls for. Fake target only.
 */
import { InteractionsError, SseDecoder } from '@interplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../src/index.ts';
import { CREATE, EXTERNAL_TARGET, startTarget, type TestTarget } from './support/target.ts';
import { loadTranscripts } from './support/transcripts.ts';
import { CANONICAL_TYPES, collect, shape } from './support/util.ts';

type Json = Record<string, unknown>;

/** What a correct client yields for a transcript, decoded independently of the client. */
function expectation(text: string): { events: Json[]; errorCode?: string } {
  const decoder = new SseDecoder();
  const events: Json[] = [];
  let terminal = false;
  for (const item of [...decoder.push(text), ...decoder.end()]) {
    if (item.kind === 'done') return { events };
    if (item.kind === 'malformed') {
      const error = (item.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (error && (error.code || error.message)) {
        return { events, errorCode: typeof error.code === 'string' ? error.code : 'api_error' };
      }
      return { events, errorCode: 'api_error' };
    }
    const data = item.data;
    if (data.event_type === 'error') {
      const error = data.error as { code?: unknown; message?: unknown } | undefined;
      if (error && (error.code || error.message)) {
        return { events, errorCode: typeof error.code === 'string' && error.code ? error.code : 'api_error' };
      }
      continue;
    }
    events.push(data);
    if (data.event_type === 'interaction.complete' || data.event_type === 'interaction.completed')
      terminal = true;
  }
  return terminal ? { events } : { events, errorCode: 'connection_error' };
}

const transcripts = await loadTranscripts();

describe.skipIf(Boolean(EXTERNAL_TARGET))('recorded transcripts', () => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(() => t.close());

  it.each(transcripts.map((tr) => [`${tr.revision}: ${tr.name}`, tr] as const))('%s', async (_label, tr) => {
    const expected = expectation(tr.text);
    for (let run = 0; run < 3; run++) {
      const client = t.client({ revision: tr.revision });
      const stream = await client.stream(
        { model: `verbatim:${tr.name}`, input: 'replay' },
        { resume: false, timeoutMs: 5_000 },
      );
      const got: StreamEvent[] = [];
      let error: unknown;
      try {
        for await (const e of stream) got.push(e);
      } catch (e) {
        error = e;
      }
      expect(
        got.map((e) => e.raw),
        `run ${run}, proxy seed ${t.proxy.seed}`,
      ).toEqual(expected.events);
      if (expected.errorCode) {
        expect(error).toBeInstanceOf(InteractionsError);
        expect((error as InteractionsError).code).toBe(expected.errorCode);
      } else {
        expect(error).toBeUndefined();
      }
      for (const e of got.flatMap((g) => g.events)) expect(CANONICAL_TYPES.has(e.event_type)).toBe(true);
      const firstId = expected.events.find((e) => typeof e.event_id === 'string')?.event_id;
      if (firstId !== undefined) expect(stream.lastEventId).toBeDefined();
    }
  });
});

describe.skipIf(Boolean(EXTERNAL_TARGET))('recorded transcripts, stored and cut mid-way', () => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(() => t.close());
  const resumable = transcripts.filter((tr) => {
    const e = expectation(tr.text);
    return e.errorCode === undefined && e.events.length >= 4;
  });

  it.each(resumable.map((tr) => [`${tr.revision}: ${tr.name}`, tr] as const))('%s', async (_label, tr) => {
    const expected = t.fake?.eventsOf(tr.name).map(shape) ?? [];
    for (const cut of [1, Math.floor(expected.length / 2), expected.length - 1]) {
      const client = t.client({ revision: tr.revision });
      t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: cut, finish: 'destroy' });
      const stream = await client.stream({ model: `fixture:${tr.name}`, input: 'replay' });
      const got = await collect(stream);
      expect(stream.resumes, `cut after ${cut}`).toBe(1);
      expect(
        got.map((e) => shape(e.raw)),
        `cut after ${cut}, proxy seed ${t.proxy.seed}`,
      ).toEqual(expected);
      const final = await stream.finalInteraction();
      expect(final.id).toBe(stream.interactionId);
    }
  });
});
