/** A stored interaction as store and log tests write it. */
import type { Item } from '@interplay/protocol';
import type { InteractionRecord } from '../../src/store/store.ts';

const A_DAY_FROM_NOW = Date.now() + 86_400_000;

/** A user turn of one text. */
export const userText = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });
/** A model answer of one text. */
export const modelText = (text: string): Item => ({
  type: 'model_output',
  content: [{ type: 'text', text }],
});

/** A completed foreground interaction of `key-a`: one question, one answer, kept a day; `over` replaces any field. */
export function completedRecord(id: string, over: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    id,
    owner: 'key-a',
    status: 'completed',
    model: 'gemini-3-flash',
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:01Z',
    request: { model: 'gemini-3-flash', input: [userText(`question ${id}`)] },
    output: [modelText(`answer ${id}`)],
    background: false,
    expiresAt: A_DAY_FROM_NOW,
    ...over,
  };
}

/** Every optional field set, with awkward JSON (unicode, nesting, numbers, nulls, an escaped NUL). */
export const fullRecord = (): InteractionRecord => ({
  id: 'v1_full',
  owner: 'owner-hash',
  status: 'requires_action',
  model: 'gemini-3-pro',
  agent: 'deep-research-pro',
  created: '2026-02-03T04:05:06Z',
  updated: '2026-02-03T04:05:09Z',
  request: {
    model: 'gemini-3-pro',
    input: [userText('Wetter in Zürich? 🌦️ "quoted" \\ back\nslash \u0000 nul')],
    system_instruction: 'Be terse.',
    tools: [
      { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: {} } } },
    ],
    generation_config: { temperature: 0.25, max_output_tokens: 1024 },
    previous_interaction_id: 'v1_parent',
    background: true,
    extra: { nested: { list: [1, null, 'x', { deep: true }] } },
  },
  output: [
    { type: 'thought', signature: 'sig==' },
    { type: 'function_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Zürich', days: 3 } },
  ],
  usage: { total_input_tokens: 12, total_output_tokens: 34, total_tokens: 46 },
  error: { code: 'RESOURCE_EXHAUSTED', message: 'quota', details: [{ retry: 1.5 }] },
  previousId: 'v1_parent',
  background: true,
  expiresAt: A_DAY_FROM_NOW,
});

/** A running background interaction with no input or output, kept a day; `over` replaces any field. */
export const runningRecord = (id: string, over: Partial<InteractionRecord> = {}): InteractionRecord => ({
  id,
  owner: null,
  status: 'in_progress',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  request: { input: [] },
  output: [],
  background: true,
  expiresAt: Date.now() + 86_400_000,
  ...over,
});
