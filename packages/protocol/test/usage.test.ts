/** `addUsage`: the one usage sum of the framework and the server. */
import { describe, expect, it } from 'vitest';
import { addUsage } from '../src/index.ts';

describe('addUsage', () => {
  it('sums every numeric counter; one missing on a side counts 0, missing on both stays absent', () => {
    expect(
      addUsage(
        { total_input_tokens: 10, total_tokens: 15, initial_input_tokens: 4 },
        { total_input_tokens: 3, total_output_tokens: 2, total_tokens: 5 },
      ),
    ).toEqual({ total_input_tokens: 13, total_output_tokens: 2, total_tokens: 20, initial_input_tokens: 4 });
  });

  it('merges the *_by_modality lists by modality and grounding_tool_count by type', () => {
    const sum = addUsage(
      {
        input_tokens_by_modality: [{ modality: 'text', tokens: 8 }],
        grounding_tool_count: [{ type: 'google_search', count: 1 }],
      },
      {
        input_tokens_by_modality: [
          { modality: 'text', tokens: 2 },
          { modality: 'image', tokens: 258 },
        ],
        output_tokens_by_modality: [{ modality: 'text', tokens: 5 }],
        grounding_tool_count: [
          { type: 'google_search', count: 2 },
          { type: 'google_maps', count: 1 },
        ],
      },
    );
    expect(sum).toEqual({
      input_tokens_by_modality: [
        { modality: 'text', tokens: 10 },
        { modality: 'image', tokens: 258 },
      ],
      output_tokens_by_modality: [{ modality: 'text', tokens: 5 }],
      grounding_tool_count: [
        { type: 'google_search', count: 3 },
        { type: 'google_maps', count: 1 },
      ],
    });
  });

  it('changes neither argument, and treats an absent part as nothing', () => {
    const total = { total_tokens: 1, input_tokens_by_modality: [{ modality: 'text', tokens: 1 }] };
    const part = { total_tokens: 2, input_tokens_by_modality: [{ modality: 'text', tokens: 2 }] };
    addUsage(total, part);
    expect(total).toEqual({ total_tokens: 1, input_tokens_by_modality: [{ modality: 'text', tokens: 1 }] });
    expect(part.input_tokens_by_modality).toEqual([{ modality: 'text', tokens: 2 }]);
    expect(addUsage(total, undefined)).toEqual(total);
  });
});
