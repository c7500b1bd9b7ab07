import { describe, expect, it } from 'vitest';
import {
  decodeSse,
  encodeSseEvent,
  encodeSseFrame,
  SSE_DONE_FRAME,
  SSE_KEEPALIVE_FRAME,
  SseDecoder,
  type SseItem,
} from '../src/index.ts';
import { recordedStreams } from './fixtures/index.ts';
import { prng } from './support/mutate.ts';

// The reference's verbatim steps transcript (§4.6), plus a legacy stream with multi-byte text.
const STEPS_STREAM = recordedStreams.find(
  (s) => s.name === 'reference.steps.stream.thinking-transcript',
)!.text;

const LEGACY_EVENTS = [
  {
    event_type: 'interaction.start',
    interaction: { id: 'v1_a', status: 'in_progress', object: 'interaction' },
    event_id: 'e1',
  },
  { event_type: 'content.start', index: 0, content: { type: 'text' }, event_id: 'e2' },
  {
    event_type: 'content.delta',
    index: 0,
    delta: { type: 'text', text: 'Elara’s life — 日本語 🚀 naïve' },
    event_id: 'e3',
  },
  { event_type: 'content.stop', index: 0, event_id: 'e4' },
  { event_type: 'interaction.complete', interaction: { id: 'v1_a', status: 'completed' }, event_id: 'e5' },
];
const LEGACY_STREAM = LEGACY_EVENTS.map((e) => encodeSseEvent(e)).join('') + SSE_DONE_FRAME;

function decodeChunks(chunks: Uint8Array[]): SseItem[] {
  const decoder = new SseDecoder();
  const out: SseItem[] = [];
  for (const c of chunks) out.push(...decoder.push(c));
  out.push(...decoder.end());
  return out;
}

function splitRandomly(bytes: Uint8Array, random: () => number, maxSize: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(bytes.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

const encoder = new TextEncoder();

describe('SSE decoder', () => {
  for (const [name, text] of [
    ['steps transcript', STEPS_STREAM],
    ['legacy stream with multi-byte text', LEGACY_STREAM],
  ] as const) {
    const bytes = encoder.encode(text);
    const whole = decodeChunks([bytes]);

    it(`${name}: decodes every event then [DONE]`, () => {
      expect(whole.at(-1)).toEqual({ kind: 'done' });
      expect(whole.filter((i) => i.kind === 'event').length).toBeGreaterThanOrEqual(5);
      expect(whole.some((i) => i.kind === 'malformed')).toBe(false);
    });

    it(`${name}: byte-by-byte chunking gives identical items`, () => {
      const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
      expect(decodeChunks(chunks)).toEqual(whole);
    });

    it(`${name}: 300 random chunkings give identical items`, () => {
      for (let seed = 1; seed <= 300; seed++) {
        const random = prng(seed);
        expect(decodeChunks(splitRandomly(bytes, random, 1 + (seed % 64))), `seed ${seed}`).toEqual(whole);
      }
    });

    it(`${name}: CRLF line ends, comments and keep-alives change nothing`, () => {
      const noisy =
        SSE_KEEPALIVE_FRAME +
        text.replaceAll('\n\n', `\n\n${SSE_KEEPALIVE_FRAME}: comment\n\n`).replaceAll('\n', '\r\n');
      const items = decodeChunks(splitRandomly(encoder.encode(noisy), prng(7), 13));
      expect(items).toEqual(whole);
    });
  }

  it('keeps event_id from the JSON and the event line', () => {
    const items = decodeChunks([encoder.encode(LEGACY_STREAM)]);
    const first = items[0];
    expect(first).toMatchObject({ kind: 'event', sseEvent: 'interaction.start', data: { event_id: 'e1' } });
  });

  it('decodes multi-byte characters split across chunks', () => {
    const items = decodeChunks(Array.from(encoder.encode(LEGACY_STREAM), (b) => Uint8Array.of(b)));
    const delta = items.find((i) => i.kind === 'event' && i.data.event_type === 'content.delta');
    expect(delta).toMatchObject({ data: { delta: { text: 'Elara’s life — 日本語 🚀 naïve' } } });
  });

  it('reports non-JSON data and bare JSON lines as malformed, without throwing', () => {
    const text =
      'event: step.delta\ndata: {"index":0,\n\n{"error":{"code":"prohibited_content","message":"blocked"}}\n\n';
    const items = decodeChunks([encoder.encode(text)]);
    expect(items[0]).toMatchObject({ kind: 'malformed', reason: 'data is not JSON' });
    expect(items[1]).toMatchObject({
      kind: 'malformed',
      json: { error: { code: 'prohibited_content', message: 'blocked' } },
    });
  });

  it('flushes a last frame that lacks its blank line', () => {
    const items = decodeChunks([encoder.encode('event: done\ndata: [DONE]')]);
    expect(items).toEqual([{ kind: 'done' }]);
  });

  it('decodeSse reads an async byte stream', async () => {
    async function* source() {
      for (const c of splitRandomly(encoder.encode(STEPS_STREAM), prng(3), 17)) yield c;
    }
    const items: SseItem[] = [];
    for await (const item of decodeSse(source())) items.push(item);
    expect(items).toEqual(decodeChunks([encoder.encode(STEPS_STREAM)]));
  });
});

describe('SSE encoder', () => {
  it('frames one event as event line, one data line, blank line', () => {
    const frame = encodeSseEvent({
      event_type: 'step.delta',
      index: 1,
      delta: { type: 'text', text: 'a\nb' },
    } as never);
    expect(frame).toBe(
      'event: step.delta\ndata: {"event_type":"step.delta","index":1,"delta":{"type":"text","text":"a\\nb"}}\n\n',
    );
    expect(frame.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
  });

  it('writes a text delta exactly as JSON.stringify would, whatever its shape, text or id', () => {
    const asJson = (e: { event_type: string }) => `event: ${e.event_type}\ndata: ${JSON.stringify(e)}\n\n`;
    const texts = [
      '',
      ' word',
      'a"b\\c',
      'tab\tline\nend',
      'é 中文 🎉',
      '\u2028\u2029',
      '\u0000\u001f',
      '\ud800',
    ];
    const ids = [
      undefined,
      '',
      'a.b:c-D_9',
      'sp ace',
      '/',
      '@',
      '[',
      '`',
      '{',
      'evt_1',
      'evt_123456789012345',
      'evt_3_2',
      'has "quote"',
      'back\\slash',
      'é',
    ];
    const shapes = (text: string, id: string | undefined): Record<string, unknown>[] => {
      const withId = (e: Record<string, unknown>) => (id === undefined ? e : { ...e, event_id: id });
      return [
        withId({ event_type: 'step.delta', index: 0, delta: { type: 'text', text } }),
        withId({ event_type: 'step.delta', index: 7, delta: { type: 'text', text, annotations: [] } }),
        withId({ event_type: 'step.delta', index: 2, delta: { text, type: 'text' } }),
        withId({ event_type: 'step.delta', delta: { type: 'text', text }, index: 1 }),
        withId({ event_type: 'step.delta', index: 1.5, delta: { type: 'text', text } }),
        withId({ event_type: 'step.delta', index: -1, delta: { type: 'text', text } }),
        withId({ event_type: 'step.delta', index: '3', delta: { type: 'text', text } }),
        withId({ event_type: 'step.delta', index: 0, delta: { type: 'thought_summary', text } }),
        withId({ event_type: 'step.delta', index: 0, delta: { type: 'text', text }, extra: true }),
        { event_type: 'step.delta', event_id: id ?? 'e', index: 0, delta: { type: 'text', text } },
        withId({ event_type: 'content.delta', index: 0, delta: { type: 'text', text } }),
      ];
    };
    for (const text of [...texts, '\u007f', 'ÿ', 'plain words, all ASCII!']) {
      for (const id of ids) {
        for (const event of shapes(text, id)) {
          const e = event as { event_type: string };
          expect(encodeSseEvent(e)).toBe(asJson(e));
          const { frame, ascii } = encodeSseFrame(e);
          expect(frame).toBe(asJson(e));
          // Said to be ASCII only when it is (a writer then writes it one byte per character).
          if (ascii) expect([...frame].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
        }
      }
    }
  });

  it('tells a text delta of plain ASCII text apart, and no other frame', () => {
    const delta = (text: string) => ({
      event_type: 'step.delta',
      index: 0,
      delta: { type: 'text', text },
      event_id: 'evt_12',
    });
    expect(encodeSseFrame(delta(' plain words, ~all ASCII!')).ascii).toBe(true);
    expect(encodeSseFrame(delta('')).ascii).toBe(true);
    for (const text of ['café', 'a"b', 'a\\b', 'a\nb', '\ud800', '🎉'])
      expect(encodeSseFrame(delta(text)).ascii).toBe(false);
    expect(encodeSseFrame({ event_type: 'step.stop', index: 0 } as never).ascii).toBe(false);
  });

  it('round-trips through the decoder', () => {
    const items = decodeChunks([encoder.encode(LEGACY_STREAM)]);
    const events = items.flatMap((i) => (i.kind === 'event' ? [i.data] : []));
    expect(events).toEqual(LEGACY_EVENTS);
  });
});
