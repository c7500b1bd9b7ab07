/** Typed errors: HTTP error envelopes, broken streams, timeouts and aborts, over real loopback HTTP. */
import { encodeSseEvent, SSE_DONE_FRAME } from '@interplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, ConnectionError, InteractionsError, TimeoutError } from '../src/index.ts';
import { CREATE, modelFor, STREAM_GET, startTarget, type TestTarget } from './support/target.ts';
import { collect } from './support/util.ts';

const sse = (...events: Record<string, unknown>[]) =>
  events.map((e) => encodeSseEvent(e as { event_type: string })).join('');
const created = {
  event_type: 'interaction.created',
  interaction: { id: 'v1_canned', status: 'in_progress' },
};
const delta = (text: string, n: number) => ({
  event_type: 'step.delta',
  index: 0,
  delta: { type: 'text', text },
  event_id: `e${n}`,
});
const start = { event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } };
const completed = {
  event_type: 'interaction.completed',
  interaction: { id: 'v1_canned', status: 'completed' },
};
const sseResponse = (body: string) => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body,
});

async function drain(iterable: AsyncIterable<unknown>, seen: unknown[] = []): Promise<unknown> {
  try {
    for await (const e of iterable) seen.push(e);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('errors', () => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(() => t.close());
  const body = () => ({ model: modelFor(t), input: 'Hello' });

  it('maps the Interactions error envelope, with the request id header', async () => {
    const client = t.client();
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      respond: {
        status: 400,
        headers: { 'x-request-id': 'req-123' },
        body: JSON.stringify({ error: { code: 'invalid_request', message: "'input' is required" } }),
      },
    });
    const error = await client.create(body()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionsError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: "'input' is required",
      requestId: 'req-123',
    });
  });

  it('maps the classic Google error shape, with x-goog-request-id', async () => {
    const client = t.client();
    t.proxy.addFault({
      method: 'GET',
      respond: {
        status: 429,
        headers: { 'x-goog-request-id': 'goog-9', 'x-should-retry': 'false' },
        body: JSON.stringify({
          error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' },
        }),
      },
    });
    await expect(client.get('v1_x')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      message: 'Quota exceeded',
      requestId: 'goog-9',
    });
  });

  it('a missing interaction is a typed 404 from the real target', async () => {
    const client = t.client();
    await expect(client.get('v1_does_not_exist')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('malformed SSE data is a typed api_error (malformed_stream)', async () => {
    const client = t.client();
    const text = sse(created, start, delta('a', 1)) + 'data: {not json\n\n' + sse(delta('b', 2), completed);
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: sseResponse(text + SSE_DONE_FRAME) });
    const seen: unknown[] = [];
    const error = await drain(await client.stream(body()), seen);
    expect(error).toBeInstanceOf(InteractionsError);
    expect(error).toMatchObject({ code: 'api_error' });
    expect((error as Error).message).toContain('malformed_stream');
    expect(seen).toHaveLength(3);
  });

  it('a truncated frame at the end of a stream that cannot resume is malformed_stream', async () => {
    const client = t.client();
    const text = sse(created, start) + 'data: {"event_type":"step.delta","ind';
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: sseResponse(text) });
    const error = await drain(await client.stream(body(), { resume: false }));
    expect(error).toMatchObject({ code: 'api_error' });
    expect((error as Error).message).toContain('malformed_stream');
  });

  it('a mid-stream error event is a typed error with its code', async () => {
    const client = t.client();
    const error = {
      event_type: 'error',
      error: { code: 'not_found', message: 'Failed to get completed interaction: Result not found.' },
    };
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      respond: sseResponse(sse(created, start, error, completed)),
    });
    const seen: unknown[] = [];
    const thrown = await drain(await client.stream(body()), seen);
    expect(thrown).toBeInstanceOf(InteractionsError);
    expect(thrown).toMatchObject({ code: 'not_found', status: 404, message: error.error.message });
    expect(seen).toHaveLength(2);
  });

  it('an error event with an empty payload is skipped (non-fatal)', async () => {
    const client = t.client();
    const text = sse(
      created,
      start,
      { event_type: 'error' },
      delta('a', 1),
      { event_type: 'error', error: {} },
      completed,
    );
    t.proxy.addFault({ method: 'POST', path: CREATE, respond: sseResponse(text + SSE_DONE_FRAME) });
    const got = await collect(await client.stream(body()));
    expect(got.map((e) => e.raw.event_type)).toEqual([
      'interaction.created',
      'step.start',
      'step.delta',
      'interaction.completed',
    ]);
  });

  it('a bare JSON error line outside SSE framing (content-filter refusal) is a typed error', async () => {
    const client = t.client();
    const status = {
      event_type: 'interaction.status_update',
      interaction_id: 'v1_canned',
      status: 'in_progress',
    };
    const refusal = JSON.stringify({ error: { code: 'prohibited_content', message: 'Blocked by policy' } });
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      respond: sseResponse(`${sse(created, status)}${refusal}\n`),
    });
    const error = await drain(await client.stream(body()));
    expect(error).toBeInstanceOf(InteractionsError);
    expect(error).toMatchObject({ code: 'prohibited_content', message: 'Blocked by policy' });
  });

  it('a response that is not SSE where a stream was asked for is a typed error', async () => {
    const client = t.client();
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      respond: { status: 200, body: JSON.stringify({ id: 'v1_x', status: 'completed' }) },
    });
    await expect(client.stream(body())).rejects.toMatchObject({ code: 'api_error' });
  });
});

describe('timeouts and aborts', () => {
  let t: TestTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(() => t.close());
  const story = () => ({ model: modelFor(t, 'client-steps-story'), input: 'Tell me a story' });

  it('a unary call times out with a TimeoutError', async () => {
    const client = t.client({ timeoutMs: 200, maxRetries: 0 });
    t.proxy.addFault({ method: 'GET', hang: true });
    const started = Date.now();
    const error = await client.get('v1_slow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a per-call timeoutMs overrides the client default', async () => {
    const client = t.client({ timeoutMs: 60_000, maxRetries: 0 });
    t.proxy.addFault({ method: 'GET', hang: true });
    await expect(client.get('v1_slow', { timeoutMs: 150 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a stream that goes silent times out (idle gap) without resume, and resumes with it', async () => {
    const client = t.client({ timeoutMs: 300 });
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 3, finish: 'stall' });
    const seen: unknown[] = [];
    const error = await drain(await client.stream(story(), { resume: false }), seen);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(seen).toHaveLength(3);

    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 3, finish: 'stall' });
    const stream = await client.stream(story());
    const got = await collect(stream);
    expect(stream.resumes).toBe(1);
    expect(got.at(-1)?.raw.event_type).toBe('interaction.completed');
  });

  it('the idle timer measures the server, not a slow consumer', async () => {
    const client = t.client({ timeoutMs: 600 });
    const stream = await client.stream(story(), { resume: false });
    let n = 0;
    for await (const _ of stream) {
      if (n++ === 1) await new Promise((r) => setTimeout(r, 1500));
    }
    expect(stream.status).toBe('completed');
  });

  it('a consumer that starts reading late is not timed out (headers already in)', async () => {
    // The limit must cover time-to-headers on a loaded machine; the pause is well beyond it.
    const client = t.client({ timeoutMs: 600 });
    const stream = await client.stream(story(), { resume: false });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stream.finalInteraction()).status).toBe('completed');
  });

  it('finalInteraction rejects with the error that ended the stream', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 2, finish: 'destroy' });
    const stream = await client.stream(story(), { resume: false });
    await expect(drain(stream)).resolves.toBeInstanceOf(ConnectionError);
    await expect(stream.finalInteraction()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('close() before iterating releases the connection', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 1, finish: 'stall' });
    const stream = await client.stream(story());
    await stream.close();
    await expect(collect(stream)).rejects.toThrow(/only once/);
    expect((await client.create(story())).interaction.status).toBe('completed');
  });

  it('an already-aborted signal rejects with AbortError before any request', async () => {
    const client = t.client();
    const before = t.proxy.requests.length;
    const error = await client.create(story(), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ name: 'AbortError', code: 'aborted' });
    await expect(client.stream(story(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortedError,
    );
    expect(t.proxy.requests.length).toBe(before);
  });

  it('aborting an in-flight call rejects and is not retried', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'GET', hang: true });
    const ac = new AbortController();
    const before = t.proxy.count('GET');
    const arrived = t.proxy.nextRequest('GET', /v1_slow/);
    const call = client.get('v1_slow', { signal: ac.signal });
    await arrived;
    ac.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(t.proxy.count('GET') - before).toBe(1);
  });

  it('aborting during a retry wait rejects (instead of retrying 30 s later)', async () => {
    const client = t.client();
    t.proxy.addFault({
      method: 'POST',
      path: CREATE,
      respond: {
        status: 429,
        headers: { 'retry-after': '30' },
        body: '{"error":{"code":"rate_limit_exceeded"}}',
      },
    });
    const ac = new AbortController();
    const arrived = t.proxy.nextRequest('POST', CREATE);
    const call = client.create(story(), { signal: ac.signal });
    await arrived;
    ac.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
  });

  it('aborting during a stream stops it with AbortError and does not resume', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 3, finish: 'stall' });
    const ac = new AbortController();
    const before = t.proxy.count('GET', STREAM_GET);
    const stream = await client.stream(story(), { signal: ac.signal });
    const seen: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const e of stream) {
          seen.push(e);
          if (seen.length === 3) ac.abort(); // the stream stalls after its third event
        }
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(3);
    expect(t.proxy.count('GET', STREAM_GET)).toBe(before);
  });

  it('one signal shared by many calls: no listener piles up on it, and aborting it later affects nothing', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const client = t.client();
      const ac = new AbortController();
      for (let i = 0; i < 20; i++) {
        expect((await client.create(story(), { signal: ac.signal })).interaction.status).toBe('completed');
      }
      ac.abort();
      await new Promise((resolve) => setImmediate(resolve)); // process warnings come on a later tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a connection cut with resume off is a ConnectionError', async () => {
    const client = t.client();
    t.proxy.addFault({ method: 'POST', path: CREATE, afterEvents: 2, finish: 'destroy' });
    await expect(collect(await client.stream(story(), { resume: false }))).rejects.toBeInstanceOf(
      ConnectionError,
    );
  });
});
