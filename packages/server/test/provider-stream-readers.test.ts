/**
 * The two stream readers on their own, for cases the HTTP tests do not reach: a signed Gemini thought part
 * (Gemini 2.5's form) goes back as that part; the signature Gemini puts on the last part of an answer is not
 * kept; Gemini's in-stream errors and malformed calls; Claude's unknown events ignored and its server-function
 * calls turned into their steps.
 */
import type { Item } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { EventReader } from '../src/providers/anthropic/event-reader.ts';
import { toContents } from '../src/providers/gemini/contents.ts';
import { StreamReader } from '../src/providers/gemini/stream-reader.ts';
import type { ProviderEvent } from '../src/providers/provider.ts';
import { functionBridge } from '../src/providers/shared/builtin-functions.ts';
import { MediaFetcher } from '../src/providers/shared/media-fetch.ts';
import { mediaInput } from '../src/providers/shared/media-input.ts';

const signal = new AbortController().signal;
const bridgeFor = (tools: Item[] | object[] = []) =>
  functionBridge({ interactionId: 'i', items: [], tools: tools as never }, 'test', signal);
const chunk = (parts: object[], finishReason?: string) => ({
  candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }],
});

async function readGemini(chunks: object[]): Promise<ProviderEvent[]> {
  const reader = new StreamReader({ bridge: await bridgeFor(), provider: 'gemini', holdForGrounding: false });
  const out: ProviderEvent[] = [];
  for (const c of chunks) out.push(...reader.take(c as Record<string, unknown>));
  out.push(...reader.end());
  return out;
}

describe('gemini stream reader', () => {
  it('a signed thought part is a thought step, replayed as that part, text and signature exact', async () => {
    const events = await readGemini([
      chunk([
        { text: '**Weighing it**\nThe tenths differ.', thought: true, thoughtSignature: 'Cs0BAXLI2nx/+=' },
      ]),
      chunk([{ text: '9.8 is greater.' }], 'STOP'),
    ]);
    expect(events).toEqual([
      {
        type: 'thought',
        signature: 'gemini:Cs0BAXLI2nx/+=',
        summary: [{ type: 'text', text: '**Weighing it**\nThe tenths differ.' }],
      },
      { type: 'text', text: '9.8 is greater.' },
    ]);
    const thought = events[0] as Extract<ProviderEvent, { type: 'thought' }>;
    const fetcher = new MediaFetcher();
    const contents = await toContents(
      [
        { type: 'user_input', content: [{ type: 'text', text: 'Which is greater?' }] },
        { type: 'thought', signature: thought.signature, summary: thought.summary },
        { type: 'model_output', content: [{ type: 'text', text: '9.8 is greater.' }] },
      ],
      {
        media: mediaInput({ provider: 'gemini', accepts: ['image'], passPublicUris: [], fetcher }),
        upstreamCalls: new Set(),
        signal,
      },
    );
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: '**Weighing it**\nThe tenths differ.', thought: true, thoughtSignature: 'Cs0BAXLI2nx/+=' },
        { text: '9.8 is greater.' },
      ],
    });
  });

  it('the signature on the last part of a streamed answer has no step to go on: not kept', async () => {
    const events = await readGemini([
      chunk([{ text: 'Hello' }]),
      chunk([{ text: '', thoughtSignature: 'EtrailSig' }], 'STOP'),
    ]);
    expect(events).toEqual([{ type: 'text', text: 'Hello' }]);
  });

  it('MALFORMED_FUNCTION_CALL fails with malformed_function_call; an error chunk with upstream_error', async () => {
    await expect(readGemini([chunk([], 'MALFORMED_FUNCTION_CALL')])).rejects.toMatchObject({
      code: 'malformed_function_call',
    });
    await expect(
      readGemini([
        chunk([{ text: 'Hel' }]),
        { error: { code: 500, message: 'Internal error', status: 'INTERNAL' } },
      ]),
    ).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringContaining('Internal error') });
  });
});

describe('anthropic event reader', () => {
  const read = async (events: object[], tools: object[] = []) => {
    const reader = new EventReader(await bridgeFor(tools), 'anthropic');
    const out: ProviderEvent[] = [];
    for (const e of events) out.push(...reader.take(e as Record<string, unknown>));
    out.push(...reader.end());
    return out;
  };

  it('ignores ping and event types it does not know (new ones may be added, the docs say)', async () => {
    const out = await read([
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'some_future_event', data: 1 },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect(out).toEqual([{ type: 'text', text: 'Hi' }]);
  });

  it('a call of a server function (code_execution offered as a function) becomes its call step, whole', async () => {
    const out = await read(
      [
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'code_execution', input: {} },
        },
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{"code": "print(' },
        },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1)"}' } },
        { type: 'content_block_stop', index: 0 },
      ],
      [{ type: 'code_execution' }],
    );
    expect(out).toEqual([
      {
        type: 'item',
        item: {
          type: 'code_execution_call',
          id: 'toolu_1',
          arguments: { language: 'python', code: 'print(1)' },
        },
      },
    ]);
  });

  it('input that is not JSON fails with malformed_function_call', async () => {
    await expect(
      read([
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 't', name: 'f', input: {} },
        },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
        { type: 'content_block_stop', index: 0 },
      ]),
    ).rejects.toMatchObject({ code: 'malformed_function_call' });
  });
});
