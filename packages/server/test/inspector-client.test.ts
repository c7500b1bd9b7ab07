/**
 * The inspector's stream code outside the browser (it is plain ES modules): the SSE reader against chunks cut
 * anywhere, and the step reducer against real event logs of our server — what it rebuilds from the stream
 * must equal the output steps GET returns.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAll, startServer, type TestServer } from './helpers/server.ts';
import { create, inspectorScript, WEATHER_TOOL } from './inspector/fixtures.ts';

const asset = (name: string) =>
  import(pathToFileURL(new URL(`../assets/inspector/${name}`, import.meta.url).pathname).href);

interface Frame {
  event: string;
  data: string;
}
let sseFrames: (body: ReadableStream<Uint8Array>) => AsyncIterable<Frame>;
// biome-ignore lint/suspicious/noExplicitAny: a plain JavaScript class
let StreamedInteraction: new () => any;
let t: TestServer;

beforeAll(async () => {
  ({ sseFrames } = await asset('sse.js'));
  ({ StreamedInteraction } = await asset('steps.js'));
  t = await startServer({ script: inspectorScript() });
});
afterAll(closeAll);

function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of sseFrames(body(chunks))) frames.push(frame);
  return frames;
}

describe('sseFrames', () => {
  const text = ': keep-alive\n\nevent: step.delta\r\ndata: {"t":"é ✓"}\r\n\r\nevent: done\ndata: [DONE]\n\n';

  it('reads frames wherever the chunks are cut, CRLF and comments included', async () => {
    const want = [
      { event: 'step.delta', data: '{"t":"é ✓"}' },
      { event: 'done', data: '[DONE]' },
    ];
    expect(await collect([text])).toEqual(want);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await collect([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(want);
    }
    // Byte by byte: UTF-8 characters split across chunks.
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const frames: Frame[] = [];
    for await (const frame of sseFrames(stream)) frames.push(frame);
    expect(frames).toEqual(want);
  });

  it('ends without a frame for a half-sent one', async () => {
    expect(await collect(['event: step.delta\ndata: {"a"'])).toEqual([]);
  });
});

describe('StreamedInteraction', () => {
  /** The output steps rebuilt from the interaction's stored stream, next to GET's. */
  async function rebuilt(id: string): Promise<{ streamed: unknown[]; got: unknown[]; status: string }> {
    const res = await fetch(`${t.url}/v1beta/interactions/${id}?stream=true`, {
      headers: { 'api-revision': '2026-05-20' },
    });
    const state = new StreamedInteraction();
    for await (const frame of sseFrames(res.body as ReadableStream<Uint8Array>)) {
      if (frame.data === '[DONE]') break;
      state.apply(JSON.parse(frame.data));
    }
    const resource = (await call(`${t.url}/v1beta/interactions/${id}`)).json;
    const extras = (await call(`${t.url}/inspector/api/interactions/${id}`)).json;
    return { streamed: state.outputs, got: resource.steps.slice(extras.input_count), status: state.status };
  }

  it('rebuilds thoughts, text with citations, image and audio as GET shows them', async () => {
    const id = await create(t.url, { input: 'tides please', background: true });
    await waitDone(id);
    const { streamed, got, status } = await rebuilt(id);
    expect(status).toBe('completed');
    expect(streamed).toEqual(got);
    expect(got.map((s) => (s as { type: string }).type)).toEqual(['thought', 'model_output']);
  });

  it('joins a function call’s streamed arguments', async () => {
    const id = await create(t.url, { input: 'weather in Lisbon', tools: [WEATHER_TOOL], background: true });
    await waitDone(id);
    const { streamed, got, status } = await rebuilt(id);
    expect(status).toBe('requires_action');
    expect(streamed).toEqual(got);
    expect(got).toEqual([
      expect.objectContaining({ type: 'function_call', arguments: { location: 'Lisbon' } }),
    ]);
  });
});

async function waitDone(id: string): Promise<void> {
  const res = await fetch(`${t.url}/v1beta/interactions/${id}?stream=true`);
  await res.text(); // the stream ends with the run
}
