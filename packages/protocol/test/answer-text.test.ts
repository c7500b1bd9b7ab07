/** `answerText`: the one meaning of "the answer" of an interaction. */
import { describe, expect, it } from 'vitest';
import { answerText, type Item } from '../src/index.ts';

const text = (...parts: string[]): Item => ({
  type: 'model_output',
  content: parts.map((t) => ({ type: 'text' as const, text: t })),
});

describe('answerText', () => {
  it('is the text of the last model_output, not what the model wrote before a tool call', () => {
    const output: Item[] = [
      text('Let me search.'),
      { type: 'google_search_call', id: 's1', arguments: { queries: ['tpu history'] } },
      { type: 'google_search_result', call_id: 's1', result: [] },
      text('TPUs are ', 'ASICs.'),
    ];
    expect(answerText(output)).toBe('TPUs are ASICs.');
  });

  it('keeps the text parts around an image of the same output, and is empty without a model_output', () => {
    const output: Item[] = [
      {
        type: 'model_output',
        content: [
          { type: 'text', text: 'Here is the chart:' },
          { type: 'image', data: 'AAAA', mime_type: 'image/png' },
          { type: 'text', text: ' sales doubled.' },
        ],
      },
    ];
    expect(answerText(output)).toBe('Here is the chart: sales doubled.');
    expect(answerText([{ type: 'function_call', id: 'c1', name: 'f', arguments: {} }])).toBe('');
    expect(answerText([])).toBe('');
  });
});
