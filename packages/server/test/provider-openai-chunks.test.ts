/**
 * The openai provider's chunk reader on stream shapes the fixtures do not cover: vLLM's empty `tool_calls`
 * arrays, a server call (built-in) before a client call in one answer, and arguments that are not JSON.
 */
import { describe, expect, it } from 'vitest';
import { ChunkReader } from '../src/providers/openai/chunk-reader.ts';
import type { ProviderEvent } from '../src/providers/provider.ts';
import { functionBridge } from '../src/providers/shared/builtin-functions.ts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

async function read(tools: object[], chunks: Record<string, unknown>[]): Promise<ProviderEvent[]> {
  const bridge = await functionBridge(
    { interactionId: 'i', items: [], tools: tools as never },
    'openai',
    new AbortController().signal,
  );
  const out: ProviderEvent[] = [];
  const reader = new ChunkReader(bridge, 'openai', (event) => out.push(event));
  for (const c of chunks) reader.take(c);
  reader.end();
  return out;
}

describe('openai chunk reader', () => {
  it('empty tool_calls arrays do not split the reasoning into several thoughts', async () => {
    const events = await read(
      [],
      [
        chunk({ reasoning: 'one', tool_calls: [] }),
        chunk({ reasoning: ' two', tool_calls: [] }),
        chunk({ content: 'answer', tool_calls: [] }, 'stop'),
      ],
    );
    expect(events).toEqual([
      { type: 'thought', summary: [{ type: 'text', text: 'one two' }] },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('a built-in call before a client call keeps the model order', async () => {
    const events = await read(
      [{ type: 'code_execution' }, { type: 'function', name: 'notify' }],
      [
        chunk({
          tool_calls: [{ index: 0, id: 'a', function: { name: 'code_execution', arguments: '{"code":' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"print(1)"}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'notify', arguments: '{}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    );
    expect(events.map((e) => e.type)).toEqual(['item', 'call_start', 'call_delta', 'call_end']);
    expect(events[0]).toEqual({
      type: 'item',
      item: { type: 'code_execution_call', id: 'a', arguments: { language: 'python', code: 'print(1)' } },
    });
  });

  it('arguments that are not JSON fail the call as malformed_function_call', async () => {
    await expect(
      read(
        [{ type: 'function', name: 'f' }],
        [
          chunk(
            { tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"x":' } }] },
            'tool_calls',
          ),
        ],
      ),
    ).rejects.toMatchObject({ code: 'malformed_function_call' });
  });
});
