/** Forward compatibility: unknown types are opaque when lenient, errors when strict; extra fields survive. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  formatIssuePath,
  openUnion,
  parseCreateRequest,
  parseEvent,
  parseInteraction,
  parseWith,
  schemasFor,
  stepsRequestToCanonical,
} from '../src/index.ts';

const base = { model: 'gemini-3-flash-preview' };

describe('openUnion', () => {
  const variants = { a: z.looseObject({ type: z.literal('a'), n: z.number() }) };

  it('validates a known tag against its variant only, with the path inside it', () => {
    const r = z.array(openUnion(variants, { mode: 'lenient' })).safeParse([{ type: 'a', n: 'x' }]);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => formatIssuePath(i.path))).toEqual(['[0].n']);
  });

  it('keeps an unknown tag as is when lenient, rejects it when strict', () => {
    const value = { type: 'b', anything: [1, { deep: true }] };
    expect(openUnion(variants, { mode: 'lenient' }).parse(value)).toBe(value);
    const strict = openUnion(variants, { mode: 'strict' }).safeParse(value);
    expect(strict.error?.issues[0]).toMatchObject({
      path: ['type'],
      params: { kind: 'unsupported', value: 'b' },
    });
  });

  it('requires the discriminator to be a string in both modes', () => {
    for (const mode of ['lenient', 'strict'] as const) {
      expect(openUnion(variants, { mode }).safeParse({ n: 1 }).success).toBe(false);
      expect(openUnion(variants, { mode }).safeParse({ type: 7 }).success).toBe(false);
      expect(openUnion(variants, { mode }).safeParse('a').success).toBe(false);
    }
  });

  it('does not take prototype names for variants', () => {
    expect(openUnion(variants, { mode: 'strict' }).safeParse({ type: 'constructor' }).success).toBe(false);
    expect(openUnion(variants, { mode: 'lenient' }).safeParse({ type: 'toString' }).success).toBe(true);
  });
});

describe('unknown types', () => {
  const futureContent = { type: 'hologram', frames: [{ t: 0 }], signature: 'sig' };
  const futureStep = { type: 'sandbox_call', id: 'sb_1', payload: { cmd: 'ls' } };

  it('lenient: a legacy interaction keeps unknown output types opaque', () => {
    const body = { id: 'v1_x', status: 'completed', outputs: [{ type: 'text', text: 'hi' }, futureContent] };
    const r = parseInteraction(structuredClone(body), 'legacy');
    expect(r.ok && r.value).toStrictEqual(body);
  });

  it('lenient: a steps interaction keeps unknown step, content and tool types', () => {
    const body = {
      id: 'v1_x',
      status: 'queued_for_review',
      tools: [{ type: 'quantum_search', depth: 3 }],
      steps: [futureStep, { type: 'model_output', content: [futureContent] }],
    };
    const r = parseInteraction(structuredClone(body), 'steps');
    expect(r.ok && r.value).toStrictEqual(body);
  });

  it('lenient: unknown event and delta types are kept', () => {
    const event = { event_type: 'interaction.in_progress', interaction_id: 'v1_x' };
    expect(parseEvent(event, 'steps')).toEqual({ ok: true, value: event });
    const delta = { event_type: 'step.delta', index: 0, delta: { type: 'sparkle', x: 1 } };
    expect(parseEvent(delta, 'steps')).toEqual({ ok: true, value: delta });
    const legacyDelta = { event_type: 'content.delta', index: 0, delta: { type: 'thought', thought: '…' } };
    expect(parseEvent(legacyDelta, 'legacy')).toEqual({ ok: true, value: legacyDelta });
  });

  it('strict: an unknown tool type is rejected with the real API message', () => {
    const r = parseCreateRequest(
      { ...base, input: 'x', tools: [{ type: 'invalid_tool_type_xyz' }] },
      'legacy',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe(
      "The value 'invalid_tool_type_xyz' is not supported for 'type' at 'tools[0]'.",
    );
    expect(r.error.field).toBe('tools[0].type');
    expect(r.error.code).toBe('invalid_request');
    expect(r.error.status).toBe(400);
  });

  it('strict: unknown content and step types are rejected with their path', () => {
    const legacy = parseCreateRequest(
      { ...base, input: [{ role: 'user', content: [futureContent] }] },
      'legacy',
    );
    expect(!legacy.ok && legacy.error.field).toBe('input[0].content[0].type');
    const steps = parseCreateRequest(
      { ...base, input: [{ type: 'user_input', content: [] }, futureStep] },
      'steps',
    );
    expect(!steps.ok && steps.error.message).toBe(
      "The value 'sandbox_call' is not supported for 'type' at 'input[1]'.",
    );
  });

  it('strict: steps input content is limited to the five media types', () => {
    const r = parseCreateRequest(
      {
        ...base,
        input: [
          { type: 'user_input', content: [{ type: 'function_call', id: 'a', name: 'f', arguments: {} }] },
        ],
      },
      'steps',
    );
    expect(!r.ok && r.error.field).toBe('input[0].content[0].type');
  });

  it('strict: revision-specific values (a steps-only agent_config in legacy)', () => {
    const agent = { agent: 'antigravity-preview-09-2026', input: 'x', agent_config: { type: 'antigravity' } };
    expect(parseCreateRequest(agent, 'steps').ok).toBe(true);
    const r = parseCreateRequest(agent, 'legacy');
    expect(!r.ok && r.error.field).toBe('agent_config.type');
  });
});

describe('unknown fields', () => {
  it('are kept at every level of a request', () => {
    const body = {
      ...base,
      future_top_level: { nested: [1, 2] },
      input: [{ role: 'user', content: [{ type: 'text', text: 'hi', lang: 'en' }], turn_id: 't1' }],
      tools: [{ type: 'function', name: 'f', strict: true }],
      generation_config: { temperature: 0.2, top_k: 40, image_config: { quality: 'max' } },
    };
    const r = parseCreateRequest(structuredClone(body), 'legacy');
    expect(r.ok && r.value).toStrictEqual(body);
  });

  it('are kept in events and interactions', () => {
    const event = { event_type: 'step.stop', index: 2, status: 'done', metadata: { latency_ms: 5 } };
    expect(parseEvent(event, 'steps')).toEqual({ ok: true, value: event });
    const body = {
      id: 'v1',
      status: 'completed',
      outputs: [],
      region: 'eu',
      usage: { total_tokens: 1, cost: 0.1 },
    };
    expect(parseInteraction(body, 'legacy')).toEqual({ ok: true, value: body });
  });
});

describe('documented tolerances', () => {
  const legacyOk = (body: object) => expect(parseCreateRequest(body, 'legacy').ok).toBe(true);

  it('image_size and response_modalities in either case', () => {
    legacyOk({ ...base, input: 'x', generation_config: { image_config: { image_size: '2k' } } });
    legacyOk({ ...base, input: 'x', generation_config: { image_config: { image_size: '2K' } } });
    legacyOk({ ...base, input: 'x', response_modalities: ['IMAGE', 'text'] });
    expect(parseCreateRequest({ ...base, input: 'x', response_modalities: ['smell'] }, 'legacy').ok).toBe(
      false,
    );
  });

  it('URL-context status in schema and proto spellings', () => {
    for (const status of ['success', 'URL_RETRIEVAL_STATUS_SUCCESS', 'SUCCESS', 'paywall']) {
      const result = { type: 'url_context_result', call_id: 'u', result: [{ url: 'https://a', status }] };
      legacyOk({ ...base, input: [result] });
    }
    const bad = { type: 'url_context_result', call_id: 'u', result: [{ status: 'teapot' }] };
    const r = parseCreateRequest({ ...base, input: [bad] }, 'legacy');
    expect(!r.ok && r.error.field).toBe('input[0].result[0].status');
  });

  it('google_search_result as an array or one object', () => {
    legacyOk({
      ...base,
      input: [{ type: 'google_search_result', call_id: 'g', result: [{ search_suggestions: '<b/>' }] }],
    });
    legacyOk({
      ...base,
      input: [{ type: 'google_search_result', call_id: 'g', result: { search_suggestions: '<b/>' } }],
    });
  });

  it('thought summary as a list or a bare string', () => {
    legacyOk({ ...base, input: [{ type: 'thought', signature: 's', summary: 'thinking…' }] });
    legacyOk({
      ...base,
      input: [{ type: 'thought', signature: 's', summary: [{ type: 'text', text: 'thinking…' }] }],
    });
  });

  it('speech_config as an object, a list, or {speakers}', () => {
    const voice = { voice: 'Kore', language: 'en-US' };
    legacyOk({ ...base, input: 'x', generation_config: { speech_config: voice } });
    legacyOk({ ...base, input: 'x', generation_config: { speech_config: [voice, voice] } });
    expect(
      parseCreateRequest(
        { ...base, input: 'x', generation_config: { speech_config: { speakers: [voice] } } },
        'steps',
      ).ok,
    ).toBe(true);
    const r = parseCreateRequest(
      { ...base, input: 'x', generation_config: { speech_config: { speakers: [{ voice: 1 }] } } },
      'steps',
    );
    expect(!r.ok && r.error.field).toBe('generation_config.speech_config.speakers[0].voice');
  });

  it('computer_use excluded functions in camelCase or snake_case', () => {
    for (const key of ['excludedPredefinedFunctions', 'excluded_predefined_functions']) {
      legacyOk({
        ...base,
        input: 'x',
        tools: [{ type: 'computer_use', environment: 'browser', [key]: ['drag_and_drop'] }],
      });
    }
  });

  it('untyped SDK 1.33 annotations are kept', () => {
    const text = {
      type: 'text',
      text: 'hi',
      annotations: [{ start_index: 0, end_index: 2, source: 'https://a' }],
    };
    expect(parseInteraction({ id: 'v', status: 'completed', outputs: [text] }, 'legacy')).toEqual({
      ok: true,
      value: { id: 'v', status: 'completed', outputs: [text] },
    });
  });

  it('lenient enums accept values the reference does not list yet', () => {
    const usage = { input_tokens_by_modality: [{ modality: 'smell', tokens: 1 }] };
    expect(parseInteraction({ id: 'v', status: 'paused', usage }, 'steps').ok).toBe(true);
    const strictUsage = parseWith(schemasFor('steps', 'strict').usage, usage, 'usage');
    expect(!strictUsage.ok && strictUsage.error.field).toBe('input_tokens_by_modality[0].modality');
  });
});

describe('JSON objects inside a request', () => {
  it('keep every key as sent, one named __proto__ included (a JSON Schema may name any property)', () => {
    const body = JSON.parse(
      '{"model":"m","input":"hi","tools":[{"type":"function","name":"f","parameters":{"type":"object","__proto__":{"x":1}}}]}',
    );
    const r = parseCreateRequest(body, 'steps');
    if (!r.ok) throw r.error;
    const [tool] = r.value.tools ?? [];
    const { parameters } = tool as { parameters: Record<string, unknown> };
    expect(Object.keys(parameters)).toEqual(['type', '__proto__']);
    expect(JSON.stringify(parameters)).toBe('{"type":"object","__proto__":{"x":1}}');
  });

  it('a valid request is the body itself: checked, not copied', () => {
    const body = JSON.parse(
      JSON.stringify({
        ...base,
        input: 'Where is my order?',
        system_instruction: 'You are a support assistant.',
        tools: [{ type: 'function', name: 'lookup_order', parameters: { type: 'object', properties: {} } }],
        generation_config: { temperature: 0.4, max_output_tokens: 1024 },
      }),
    );
    const r = parseCreateRequest(body, 'steps');
    if (!r.ok) throw r.error;
    expect(r.value).toBe(body);
    expect(r.value.tools?.[0]).toBe(body.tools[0]);
    expect(r.value.generation_config).toBe(body.generation_config);
  });

  it('a "__proto__" key at the top of a request sets no prototype and is no pass-through field', () => {
    const body = JSON.parse('{"model":"m","input":"hi","__proto__":{"store":false},"x":1}');
    const r = parseCreateRequest(body, 'steps');
    if (!r.ok) throw r.error;
    const canonical = stepsRequestToCanonical(r.value);
    expect(canonical.store).toBeUndefined();
    expect(canonical.extra).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(canonical.extra)).toBe(Object.prototype);
  });
});
