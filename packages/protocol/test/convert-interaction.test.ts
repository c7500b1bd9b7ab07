import { describe, expect, it } from 'vitest';
import {
  type CanonicalInteraction,
  canonicalToLegacyInteraction,
  canonicalToStepsInteraction,
  type LegacyInteraction,
  legacyInteractionToCanonical,
  type StepsInteraction,
  stepsInteractionToCanonical,
} from '../src/index.ts';

const usage = { total_input_tokens: 7, total_output_tokens: 20, total_tokens: 27 };

const LEGACY: Record<string, LegacyInteraction> = {
  'simple text': {
    id: 'v1_a',
    object: 'interaction',
    model: 'gemini-3-flash-preview',
    status: 'completed',
    created: '2025-11-26T12:25:15Z',
    updated: '2025-11-26T12:25:15Z',
    role: 'model',
    outputs: [{ type: 'text', text: 'Hello!' }],
    usage,
  },
  'function call with thought and echoes': {
    id: 'v1_b',
    object: 'interaction',
    model: 'gemini-3-flash-preview',
    status: 'requires_action',
    role: 'model',
    outputs: [
      { type: 'thought', signature: 'abc123' },
      { type: 'function_call', id: 'gth23981', name: 'get_weather', arguments: { location: 'Boston, MA' } },
    ],
    tools: [{ type: 'function', name: 'get_weather' }],
    response_format: { type: 'object' },
    response_mime_type: 'application/json',
    generation_config: { thinking_level: 'high' },
    previous_interaction_id: 'v1_0',
  },
  'agent with input echo and images': {
    id: 'v1_c',
    object: 'interaction',
    agent: 'deep-research-preview-04-2026',
    status: 'completed',
    role: 'agent',
    input: [{ type: 'text', text: 'Research cats' }],
    outputs: [
      { type: 'google_search_call', id: 's1', arguments: { queries: ['cats'] } },
      { type: 'google_search_result', call_id: 's1', result: [{ search_suggestions: '<div/>' }] },
      {
        type: 'text',
        text: 'Report',
        annotations: [{ type: 'url_citation', url: 'https://x', start_index: 0 }],
      },
      { type: 'image', data: 'iVBOR', mime_type: 'image/png' },
    ],
    agent_config: { type: 'deep-research', visualization: 'auto' },
  },
};

describe('interaction round trip legacy → canonical → steps → canonical → legacy', () => {
  for (const [name, li] of Object.entries(LEGACY)) {
    it(name, () => {
      const includeInput = li.input !== undefined;
      const steps = canonicalToStepsInteraction(legacyInteractionToCanonical(li), { includeInput });
      expect(canonicalToLegacyInteraction(stepsInteractionToCanonical(steps), { includeInput })).toEqual(li);
    });
  }
});

describe('interaction mapping', () => {
  it('puts input items first in steps only when asked, and keeps object', () => {
    const ci = legacyInteractionToCanonical(LEGACY['agent with input echo and images']!);
    const withInput = canonicalToStepsInteraction(ci, { includeInput: true });
    expect(withInput.object).toBe('interaction');
    expect(withInput.steps?.[0]).toEqual({
      type: 'user_input',
      content: [{ type: 'text', text: 'Research cats' }],
    });
    expect(withInput.steps).toHaveLength(4);
    expect(canonicalToStepsInteraction(ci).steps).toHaveLength(3);
    expect(canonicalToLegacyInteraction(ci).input).toBeUndefined();
    expect(canonicalToLegacyInteraction(ci).role).toBe('agent');
    expect(withInput.role).toBeUndefined();
  });

  it('splits a GET timeline after the last user-side step', () => {
    const steps: StepsInteraction = {
      id: 'v1_d',
      status: 'completed',
      steps: [
        { type: 'user_input', content: [{ type: 'text', text: 'a' }] },
        { type: 'model_output', content: [{ type: 'text', text: 'b' }] },
        { type: 'user_input', content: [{ type: 'text', text: 'c' }] },
        { type: 'thought', signature: 's' },
        { type: 'model_output', content: [{ type: 'text', text: 'd' }] },
      ],
    };
    const ci = stepsInteractionToCanonical(steps);
    expect(ci.input).toHaveLength(3);
    expect(ci.output).toEqual(steps.steps?.slice(3));
    expect(canonicalToStepsInteraction(ci, { includeInput: true }).steps).toEqual(steps.steps);
  });

  it('takes a function_result continuation as input', () => {
    const ci = stepsInteractionToCanonical({
      id: 'v1_e',
      status: 'completed',
      steps: [
        { type: 'function_result', call_id: 'c1', result: 'ok' },
        { type: 'model_output', content: [{ type: 'text', text: 'done' }] },
      ],
    });
    expect(ci.input).toEqual([{ type: 'function_result', call_id: 'c1', result: 'ok' }]);
    expect(ci.output).toHaveLength(1);
  });

  it('has no input for a POST response', () => {
    const ci = stepsInteractionToCanonical({ id: 'x', status: 'completed', steps: [{ type: 'thought' }] });
    expect(ci.input).toBeUndefined();
  });

  it('keeps steps-only fields through legacy', () => {
    const si: StepsInteraction = {
      id: 'v1_f',
      object: 'interaction',
      status: 'failed',
      model: 'm',
      steps: [{ type: 'retrieval_call', id: 'r1', arguments: { queries: ['q'] } }],
      errors: [{ code: 'api_error', message: 'boom' }],
      labels: { a: 'b' },
      environment_id: 'env-1',
    };
    const back = canonicalToStepsInteraction(
      legacyInteractionToCanonical(canonicalToLegacyInteraction(stepsInteractionToCanonical(si))),
    );
    expect(back).toEqual(si);
  });

  it('merges consecutive model_output steps through legacy (normalized)', () => {
    const ci: CanonicalInteraction = {
      id: 'x',
      status: 'completed',
      output: [
        { type: 'model_output', content: [{ type: 'text', text: 'a' }] },
        { type: 'model_output', content: [{ type: 'image', data: 'AA' }] },
      ],
    };
    expect(legacyInteractionToCanonical(canonicalToLegacyInteraction(ci)).output).toEqual([
      {
        type: 'model_output',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', data: 'AA' },
        ],
      },
    ]);
  });
});
