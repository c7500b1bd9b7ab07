import { describe, expect, it } from 'vitest';
import {
  type CanonicalEvent,
  CanonicalToLegacyEvents,
  type Content,
  type Item,
  type LegacyEvent,
  LegacyToCanonicalEvents,
  legacyContentsToItems,
  SseDecoder,
  StreamAccumulator,
} from '../src/index.ts';
import { fixtures, fixturesOf, recordedStreams } from './fixtures/index.ts';

// ---- helpers -------------------------------------------------------------------------------------

function decode<T>(text: string): T[] {
  const decoder = new SseDecoder();
  const items = [...decoder.push(text), ...decoder.end()];
  return items.flatMap((item) => (item.kind === 'event' ? [item.data as T] : []));
}

const toCanonical = (events: readonly LegacyEvent[]): CanonicalEvent[] => {
  const converter = new LegacyToCanonicalEvents();
  return events.flatMap((e) => converter.push(e));
};
const toLegacy = (events: readonly CanonicalEvent[]): LegacyEvent[] => {
  const converter = new CanonicalToLegacyEvents();
  return events.flatMap((e) => converter.push(e));
};
const accumulate = (events: readonly CanonicalEvent[]): StreamAccumulator => {
  const acc = new StreamAccumulator();
  for (const e of events) acc.push(e);
  return acc;
};

/** Stream conversion gives one model_output step per legacy block; unary conversion groups them. */
function mergeModelOutputs(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (item.type === 'model_output' && last?.type === 'model_output') {
      out[out.length - 1] = { ...last, content: [...(last.content ?? []), ...(item.content ?? [])] };
    } else {
      out.push(item);
    }
  }
  return out;
}

const CALL_OR_RESULT = (type: string) =>
  !['text', 'image', 'audio', 'document', 'video', 'thought'].includes(type);

/**
 * What legacy → canonical → legacy must give back (docs/protocol/round-trip.md): the same events, except
 * that a call/result block's content.start loses its event_id (buffered until the data arrives), and so does
 * a function_call's content.delta (buffered until step.stop on the way back).
 */
function expectedLegacyRoundTrip(events: readonly LegacyEvent[]): LegacyEvent[] {
  const blockTypes = new Map<number, string>();
  return events.map((e) => {
    if (e.event_type === 'content.start') blockTypes.set(e.index, e.content.type);
    const type = 'index' in e && typeof e.index === 'number' ? blockTypes.get(e.index) : undefined;
    const buffered =
      type !== undefined &&
      ((e.event_type === 'content.start' && CALL_OR_RESULT(type)) ||
        (e.event_type === 'content.delta' && type === 'function_call'));
    if (!buffered) return e;
    const { event_id: _dropped, ...rest } = e;
    return rest as LegacyEvent;
  });
}

/** A legacy client's view of the final outputs (blocks in index order). */
function legacyOutputs(events: readonly LegacyEvent[]): Content[] {
  const blocks = new Map<number, Record<string, unknown>>();
  for (const e of events) {
    if (e.event_type === 'content.start') blocks.set(e.index, { ...e.content });
    if (e.event_type !== 'content.delta') continue;
    const block = blocks.get(e.index)!;
    const d = e.delta as Record<string, unknown>;
    if (d.type === 'text') block.text = ((block.text as string | undefined) ?? '') + d.text;
    else if (d.type === 'thought_summary')
      block.summary = [...((block.summary as unknown[]) ?? []), d.content];
    else if (d.type === 'thought_signature') block.signature = d.signature;
    else if (d.type === 'text_annotation')
      block.annotations = [...((block.annotations as unknown[]) ?? []), ...(d.annotations as unknown[])];
    else Object.assign(block, d);
  }
  return [...blocks.entries()].sort(([a], [b]) => a - b).map(([, c]) => c as Content);
}

// ---- legacy streams ------------------------------------------------------------------------------

/** The reference's legacy skeleton (§3.10), with event ids. */
const LEGACY_THOUGHT_TEXT = `event: interaction.start
data: {"event_type":"interaction.start","interaction":{"id":"v1_t","model":"gemini-3-flash-preview","object":"interaction","status":"in_progress"},"event_id":"e1"}

event: interaction.status_update
data: {"event_type":"interaction.status_update","interaction_id":"v1_t","status":"in_progress","event_id":"e2"}

event: content.start
data: {"event_type":"content.start","content":{"type":"thought"},"index":0,"event_id":"e3"}

event: content.delta
data: {"event_type":"content.delta","delta":{"type":"thought_summary","content":{"type":"text","text":"Plotting"}},"index":0,"event_id":"e4"}

event: content.delta
data: {"event_type":"content.delta","delta":{"type":"thought_signature","signature":"c2ln"},"index":0,"event_id":"e5"}

event: content.stop
data: {"event_type":"content.stop","index":0,"event_id":"e6"}

event: content.start
data: {"event_type":"content.start","content":{"type":"text"},"index":1,"event_id":"e7"}

event: content.delta
data: {"event_type":"content.delta","delta":{"type":"text","text":"Elara’s life"},"index":1,"event_id":"e8"}

event: content.delta
data: {"event_type":"content.delta","delta":{"type":"text","text":" began."},"index":1,"event_id":"e9"}

event: content.stop
data: {"event_type":"content.stop","index":1,"event_id":"e10"}

event: interaction.complete
data: {"event_type":"interaction.complete","interaction":{"id":"v1_t","status":"completed","usage":{"total_tokens":49},"created":"2025-11-26T12:25:15Z","updated":"2025-11-26T12:25:16Z","role":"model","object":"interaction"},"event_id":"e11"}

event: done
data: [DONE]

`;

const id = { id: 'v1_f' };
const LEGACY_FUNCTION_CALL: LegacyEvent[] = [
  {
    event_type: 'interaction.start',
    interaction: { ...id, model: 'm', status: 'in_progress' },
    event_id: 'f1',
  },
  { event_type: 'content.start', index: 0, content: { type: 'thought' }, event_id: 'f2' },
  {
    event_type: 'content.delta',
    index: 0,
    delta: { type: 'thought_signature', signature: 'sig' },
    event_id: 'f3',
  },
  { event_type: 'content.stop', index: 0, event_id: 'f4' },
  { event_type: 'content.start', index: 1, content: { type: 'function_call' }, event_id: 'f5' },
  {
    event_type: 'content.delta',
    index: 1,
    delta: {
      type: 'function_call',
      id: 'c1',
      name: 'get_weather',
      arguments: { location: 'Boston, MA', days: [1, 2] },
    },
    event_id: 'f6',
  },
  { event_type: 'content.stop', index: 1, event_id: 'f7' },
  {
    event_type: 'interaction.status_update',
    interaction_id: 'v1_f',
    status: 'requires_action',
    event_id: 'f8',
  },
  {
    event_type: 'interaction.complete',
    interaction: { ...id, status: 'requires_action', role: 'model', usage: { total_tokens: 5 } },
    event_id: 'f9',
  },
];
const LEGACY_FUNCTION_CALL_OUTPUTS: Content[] = [
  { type: 'thought', signature: 'sig' },
  {
    type: 'function_call',
    id: 'c1',
    name: 'get_weather',
    arguments: { location: 'Boston, MA', days: [1, 2] },
  },
];

const LEGACY_RESEARCH: LegacyEvent[] = [
  {
    event_type: 'interaction.start',
    interaction: { id: 'v1_r', agent: 'deep-research', status: 'in_progress' },
  },
  { event_type: 'content.start', index: 0, content: { type: 'thought' }, event_id: 'r1' },
  {
    event_type: 'content.delta',
    index: 0,
    delta: { type: 'thought_summary', content: { type: 'text', text: 'Searching' } },
    event_id: 'r2',
  },
  {
    event_type: 'content.delta',
    index: 0,
    delta: { type: 'thought_summary', content: { type: 'text', text: 'Reading' } },
    event_id: 'r3',
  },
  { event_type: 'content.stop', index: 0, event_id: 'r4' },
  { event_type: 'content.start', index: 1, content: { type: 'google_search_call' }, event_id: 'r5' },
  {
    event_type: 'content.delta',
    index: 1,
    delta: { type: 'google_search_call', id: 's1', arguments: { queries: ['cats'] } },
    event_id: 'r6',
  },
  { event_type: 'content.stop', index: 1, event_id: 'r7' },
  { event_type: 'content.start', index: 2, content: { type: 'google_search_result' }, event_id: 'r8' },
  {
    event_type: 'content.delta',
    index: 2,
    delta: { type: 'google_search_result', call_id: 's1', result: [{ search_suggestions: '<div/>' }] },
    event_id: 'r9',
  },
  { event_type: 'content.stop', index: 2, event_id: 'r10' },
  { event_type: 'error', error: {} },
  { event_type: 'content.start', index: 3, content: { type: 'text' }, event_id: 'r11' },
  { event_type: 'content.delta', index: 3, delta: { type: 'text', text: 'Cats ' }, event_id: 'r12' },
  { event_type: 'content.delta', index: 3, delta: { type: 'text', text: 'purr.' }, event_id: 'r13' },
  {
    event_type: 'content.delta',
    index: 3,
    delta: {
      type: 'text_annotation',
      annotations: [{ type: 'url_citation', url: 'https://c', start_index: 0 }],
    },
    event_id: 'r14',
  },
  { event_type: 'content.stop', index: 3, event_id: 'r15' },
  { event_type: 'content.start', index: 4, content: { type: 'image' }, event_id: 'r16' },
  {
    event_type: 'content.delta',
    index: 4,
    delta: { type: 'image', data: 'iVBOR', mime_type: 'image/png' },
    event_id: 'r17',
  },
  { event_type: 'content.stop', index: 4, event_id: 'r18' },
  { event_type: 'interaction.heartbeat', beat: 1 } as unknown as LegacyEvent,
  {
    event_type: 'interaction.complete',
    interaction: { id: 'v1_r', agent: 'deep-research', status: 'completed', role: 'agent' },
    event_id: 'r19',
  },
];
const LEGACY_RESEARCH_OUTPUTS: Content[] = [
  {
    type: 'thought',
    summary: [
      { type: 'text', text: 'Searching' },
      { type: 'text', text: 'Reading' },
    ],
  },
  { type: 'google_search_call', id: 's1', arguments: { queries: ['cats'] } },
  { type: 'google_search_result', call_id: 's1', result: [{ search_suggestions: '<div/>' }] },
  {
    type: 'text',
    text: 'Cats purr.',
    annotations: [{ type: 'url_citation', url: 'https://c', start_index: 0 }],
  },
  { type: 'image', data: 'iVBOR', mime_type: 'image/png' },
];

const LEGACY_STREAMS: { name: string; events: LegacyEvent[]; outputs?: Content[] }[] = [
  {
    name: 'thought + text (reference skeleton, raw SSE)',
    events: decode<LegacyEvent>(LEGACY_THOUGHT_TEXT),
    outputs: [
      { type: 'thought', signature: 'c2ln', summary: [{ type: 'text', text: 'Plotting' }] },
      { type: 'text', text: 'Elara’s life began.' },
    ],
  },
  { name: 'function call', events: LEGACY_FUNCTION_CALL, outputs: LEGACY_FUNCTION_CALL_OUTPUTS },
  {
    name: 'research: tools, annotations, image, error, unknown',
    events: LEGACY_RESEARCH,
    outputs: LEGACY_RESEARCH_OUTPUTS,
  },
];

// The shared recorded streams, and the single-event fixtures replayed in document order.
for (const stream of recordedStreams.filter((s) => s.revision === 'legacy')) {
  LEGACY_STREAMS.push({ name: stream.name, events: decode<LegacyEvent>(stream.text) });
}
LEGACY_STREAMS.push({
  name: 'legacy event fixtures in order',
  events: fixturesOf(fixtures, 'legacy', 'event').map((f) => f.value),
});

// ---- steps streams -------------------------------------------------------------------------------

const STEPS_MIXED: CanonicalEvent[] = [
  { event_type: 'interaction.created', interaction: { id: 'v1_s', status: 'in_progress' }, event_id: 's1' },
  { event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] }, event_id: 's2' },
  { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'Here is a cat:' }, event_id: 's3' },
  {
    event_type: 'step.delta',
    index: 0,
    delta: { type: 'image', data: 'AAAA', mime_type: 'image/png' },
    event_id: 's4',
  },
  { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'Nice?' }, event_id: 's5' },
  { event_type: 'step.stop', index: 0, usage: { total_tokens: 3 }, event_id: 's6' },
  {
    event_type: 'step.start',
    index: 1,
    step: { type: 'function_call', id: 'c9', name: 'rate', arguments: {} },
    event_id: 's7',
  },
  {
    event_type: 'step.delta',
    index: 1,
    delta: { type: 'arguments_delta', arguments: '{"sco' },
    event_id: 's8',
  },
  {
    event_type: 'step.delta',
    index: 1,
    delta: { type: 'arguments_delta', arguments: 're": 5}' },
    event_id: 's9',
  },
  { event_type: 'step.stop', index: 1, event_id: 's10' },
  {
    event_type: 'step.start',
    index: 2,
    step: { type: 'code_execution_call', id: 'x1', arguments: { language: 'python', code: 'print(1)' } },
    event_id: 's11',
  },
  { event_type: 'step.stop', index: 2, event_id: 's12' },
  {
    event_type: 'interaction.completed',
    interaction: { id: 'v1_s', status: 'requires_action' },
    event_id: 's13',
  },
];

const STEPS_STREAMS: { name: string; events: CanonicalEvent[] }[] = [
  { name: 'media switch, argument fragments, tool step', events: STEPS_MIXED },
];

for (const stream of recordedStreams.filter((s) => s.revision === 'steps')) {
  STEPS_STREAMS.push({ name: stream.name, events: decode<CanonicalEvent>(stream.text) });
}
STEPS_STREAMS.push({
  name: 'steps event fixtures in order',
  events: fixturesOf(fixtures, 'steps', 'event').map((f) => f.value),
});

// ---- tests ---------------------------------------------------------------------------------------

describe('legacy stream → canonical → legacy', () => {
  for (const { name, events } of LEGACY_STREAMS) {
    it(`gives the same events: ${name}`, () => {
      expect(toLegacy(toCanonical(events))).toEqual(expectedLegacyRoundTrip(events));
    });
  }
});

describe('accumulating converted legacy streams', () => {
  for (const { name, events, outputs } of LEGACY_STREAMS) {
    it(`gives the items of the final outputs: ${name}`, () => {
      // Hand-written outputs where the case has them; else what a legacy client rebuilds.
      if (outputs !== undefined) expect(legacyOutputs(events)).toEqual(outputs);
      const final = outputs ?? legacyOutputs(events);
      expect(mergeModelOutputs(accumulate(toCanonical(events)).items)).toEqual(legacyContentsToItems(final));
    });
  }

  it('rebuilds the interaction from interaction.* events', () => {
    const acc = accumulate(toCanonical(LEGACY_FUNCTION_CALL));
    expect(acc.interaction).toMatchObject({
      id: 'v1_f',
      model: 'm',
      status: 'requires_action',
      usage: { total_tokens: 5 },
    });
    expect(acc.interaction?.output).toEqual(legacyContentsToItems(LEGACY_FUNCTION_CALL_OUTPUTS));
    expect(acc.lastEventId).toBe('f9');
  });
});

describe('legacy → canonical event shapes', () => {
  it('turns a function call block into step.start + arguments_delta + step.stop', () => {
    expect(toCanonical(LEGACY_FUNCTION_CALL.slice(4, 7))).toEqual([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'function_call', id: 'c1', name: 'get_weather', arguments: {} },
      },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'arguments_delta', arguments: '{"location":"Boston, MA","days":[1,2]}' },
        event_id: 'f6',
      },
      { event_type: 'step.stop', index: 0, event_id: 'f7' },
    ]);
  });

  it('maps lifecycle events and renumbers indexes over steps', () => {
    const out = toCanonical(LEGACY_RESEARCH);
    expect(out[0]).toEqual({
      event_type: 'interaction.created',
      interaction: { id: 'v1_r', agent: 'deep-research', status: 'in_progress' },
    });
    expect(out.at(-1)).toEqual({
      event_type: 'interaction.completed',
      interaction: { id: 'v1_r', agent: 'deep-research', status: 'completed' },
      event_id: 'r19',
    });
    expect(
      out.filter((e) => e.event_type === 'step.start').map((e) => (e as { index: number }).index),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(out).toContainEqual({
      event_type: 'step.delta',
      index: 3,
      delta: {
        type: 'text_annotation_delta',
        annotations: [{ type: 'url_citation', url: 'https://c', start_index: 0 }],
      },
      event_id: 'r14',
    });
    expect(out).toContainEqual({
      event_type: 'step.start',
      index: 1,
      step: { type: 'google_search_call', id: 's1', arguments: { queries: ['cats'] } },
      event_id: 'r6',
    });
    expect(out).toContainEqual({ event_type: 'error', error: {} });
    expect(out).toContainEqual({ event_type: 'interaction.heartbeat', beat: 1 });
  });

  it('starts a text block as a model_output with an empty text', () => {
    expect(toCanonical([{ event_type: 'content.start', index: 5, content: { type: 'text' } }])).toEqual([
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'model_output', content: [{ type: 'text', text: '' }] },
      },
    ]);
  });
});

describe('steps stream → legacy', () => {
  it('maps the reference transcript to thought + text blocks', () => {
    const transcript = STEPS_STREAMS.find((s) => s.name === 'reference.steps.stream.thinking-transcript')!;
    expect(toLegacy(transcript.events)).toEqual([
      {
        event_type: 'interaction.start',
        interaction: {
          id: 'v1_xxx',
          status: 'in_progress',
          object: 'interaction',
          model: 'gemini-3.6-flash',
        },
      },
      { event_type: 'content.start', index: 0, content: { type: 'thought' } },
      {
        event_type: 'content.delta',
        index: 0,
        delta: {
          type: 'thought_summary',
          content: { type: 'text', text: "**Evaluating the clues**\n\nI'm considering..." },
        },
      },
      {
        event_type: 'content.delta',
        index: 0,
        delta: { type: 'thought_signature', signature: 'EpoGCpcGAXLI2nx/...' },
      },
      { event_type: 'content.stop', index: 0 },
      { event_type: 'content.start', index: 1, content: { type: 'text' } },
      {
        event_type: 'content.delta',
        index: 1,
        delta: { type: 'text', text: 'Based on the clues provided, here' },
      },
      {
        event_type: 'content.delta',
        index: 1,
        delta: { type: 'text', text: ' is the answer to your question...' },
      },
      { event_type: 'content.stop', index: 1 },
      {
        event_type: 'interaction.complete',
        interaction: {
          id: 'v1_xxx',
          status: 'completed',
          usage: {
            total_tokens: 530,
            total_input_tokens: 62,
            total_output_tokens: 171,
            total_thought_tokens: 297,
          },
          role: 'model',
        },
      },
    ]);
  });

  it('opens a new block when a model_output switches content type, and sends calls whole', () => {
    const out = toLegacy(STEPS_MIXED);
    expect(out.slice(1, -1)).toEqual([
      { event_type: 'content.start', index: 0, content: { type: 'text' } },
      {
        event_type: 'content.delta',
        index: 0,
        delta: { type: 'text', text: 'Here is a cat:' },
        event_id: 's3',
      },
      { event_type: 'content.stop', index: 0 },
      { event_type: 'content.start', index: 1, content: { type: 'image' } },
      {
        event_type: 'content.delta',
        index: 1,
        delta: { type: 'image', data: 'AAAA', mime_type: 'image/png' },
        event_id: 's4',
      },
      { event_type: 'content.stop', index: 1 },
      { event_type: 'content.start', index: 2, content: { type: 'text' } },
      { event_type: 'content.delta', index: 2, delta: { type: 'text', text: 'Nice?' }, event_id: 's5' },
      { event_type: 'content.stop', index: 2, usage: { total_tokens: 3 }, event_id: 's6' },
      { event_type: 'content.start', index: 3, content: { type: 'function_call' } },
      {
        event_type: 'content.delta',
        index: 3,
        delta: { type: 'function_call', id: 'c9', name: 'rate', arguments: { score: 5 } },
      },
      { event_type: 'content.stop', index: 3, event_id: 's10' },
      { event_type: 'content.start', index: 4, content: { type: 'code_execution_call' } },
      {
        event_type: 'content.delta',
        index: 4,
        delta: { type: 'code_execution_call', id: 'x1', arguments: { language: 'python', code: 'print(1)' } },
        event_id: 's11',
      },
      { event_type: 'content.stop', index: 4, event_id: 's12' },
    ]);
  });

  for (const { name, events } of STEPS_STREAMS) {
    it(`keeps the accumulated items through legacy and back: ${name}`, () => {
      const direct = accumulate(events);
      expect(direct.items.length).toBeGreaterThan(0);
      const roundTrip = accumulate(toCanonical(toLegacy(events)));
      expect(mergeModelOutputs(roundTrip.items)).toEqual(mergeModelOutputs(direct.items));
      expect(roundTrip.interaction).toEqual(
        direct.interaction && { ...direct.interaction, output: roundTrip.items },
      );
      expect(roundTrip.error).toEqual(direct.error);
    });
  }

  it('drops user_input steps (input is never a legacy output block)', () => {
    expect(
      toLegacy([
        {
          event_type: 'step.start',
          index: 0,
          step: { type: 'user_input', content: [{ type: 'text', text: 'q' }] },
        },
        { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'x' } },
        { event_type: 'step.stop', index: 0, event_id: 'u' },
      ]),
    ).toEqual([]);
  });
});

/** Blocks/steps open in index order from 0; deltas and stops only for an open index. */
function expectWellFormed(
  events: readonly { event_type: string; index?: unknown }[],
  kind: 'content' | 'step',
) {
  const open = new Set<number>();
  let next = 0;
  for (const e of events) {
    const index = e.index as number;
    if (e.event_type === `${kind}.start`) {
      expect(index).toBe(next++);
      open.add(index);
    } else if (e.event_type === `${kind}.delta`) {
      expect(open.has(index)).toBe(true);
    } else if (e.event_type === `${kind}.stop`) {
      expect(open.delete(index)).toBe(true);
    }
  }
}

describe('converted streams are well-formed', () => {
  for (const { name, events } of LEGACY_STREAMS) {
    it(`legacy → canonical: ${name}`, () => expectWellFormed(toCanonical(events), 'step'));
  }
  for (const { name, events } of STEPS_STREAMS) {
    it(`canonical → legacy: ${name}`, () => expectWellFormed(toLegacy(events), 'content'));
  }
});

describe('function call arguments split at arbitrary points', () => {
  const args = { query: 'weather in “Zürich” 🌦', days: [1, 2, 3], nested: { deep: { ok: true, n: null } } };
  const json = JSON.stringify(args);
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let round = 0; round < 25; round++) {
    const cuts = [
      ...new Set(
        Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * json.length)),
      ),
    ].sort((a, b) => a - b);
    const fragments = [0, ...cuts].map((start, i) => json.slice(start, [...cuts, json.length][i]));
    it(`rebuilds the arguments from ${fragments.length} fragments (round ${round})`, () => {
      expect(fragments.join('')).toBe(json);
      const events: CanonicalEvent[] = [
        {
          event_type: 'step.start',
          index: 0,
          step: { type: 'function_call', id: 'c', name: 'f', arguments: {} },
        },
        ...fragments.map(
          (arguments_): CanonicalEvent => ({
            event_type: 'step.delta',
            index: 0,
            delta: { type: 'arguments_delta', arguments: arguments_ },
          }),
        ),
        { event_type: 'step.stop', index: 0 },
      ];
      expect(accumulate(events).items).toEqual([
        { type: 'function_call', id: 'c', name: 'f', arguments: args },
      ]);
      const legacy = toLegacy(events);
      expect(legacy[1]).toEqual({
        event_type: 'content.delta',
        index: 0,
        delta: { type: 'function_call', id: 'c', name: 'f', arguments: args },
      });
    });
  }
});

describe('event_id placement', () => {
  it('puts the id on the last output and drops it when the input is buffered', () => {
    const converter = new CanonicalToLegacyEvents();
    expect(
      converter.push({
        event_type: 'step.start',
        index: 0,
        step: { type: 'model_output', content: [{ type: 'text', text: 'Hi' }] },
        event_id: 'a',
      }),
    ).toEqual([
      { event_type: 'content.start', index: 0, content: { type: 'text' } },
      { event_type: 'content.delta', index: 0, delta: { type: 'text', text: 'Hi' }, event_id: 'a' },
    ]);
    const call = { type: 'function_call' as const, id: 'c', name: 'f', arguments: {} };
    expect(converter.push({ event_type: 'step.start', index: 1, step: call, event_id: 'b' })).toEqual([]);
    expect(
      converter.push({
        event_type: 'step.delta',
        index: 1,
        delta: { type: 'arguments_delta', arguments: '{}' },
        event_id: 'c',
      }),
    ).toEqual([]);
    const stop = converter.push({ event_type: 'step.stop', index: 1, event_id: 'd' });
    expect(stop.map((e) => e.event_id)).toEqual([undefined, undefined, 'd']);
  });

  function checkResumable<I extends { event_id?: string }, O extends { event_id?: string }>(
    inputs: readonly I[],
    make: () => { push(e: I): O[] },
  ) {
    const converter = make();
    const perInput = inputs.map((e) => converter.push(e));
    const all = perInput.flat();
    for (const [i, input] of inputs.entries()) {
      const at = all.findIndex((o) => input.event_id !== undefined && o.event_id === input.event_id);
      if (at === -1) continue;
      // A client that saw the output carrying this id has seen everything derived from inputs up to it.
      expect(all.slice(0, at + 1)).toEqual(perInput.slice(0, i + 1).flat());
    }
    expect(new Set(all.flatMap((o) => (o.event_id === undefined ? [] : [o.event_id]))).size).toBe(
      all.filter((o) => o.event_id !== undefined).length,
    );
  }

  it('lets a resume skip exactly the outputs a client saw (legacy → canonical)', () => {
    for (const { events } of LEGACY_STREAMS) checkResumable(events, () => new LegacyToCanonicalEvents());
  });

  it('lets a resume skip exactly the outputs a client saw (canonical → legacy)', () => {
    for (const { events } of STEPS_STREAMS) checkResumable(events, () => new CanonicalToLegacyEvents());
    checkResumable(toCanonical(LEGACY_RESEARCH), () => new CanonicalToLegacyEvents());
  });
});

describe('pass-through', () => {
  it('passes unknown event types untouched both ways', () => {
    const odd = { event_type: 'interaction.heartbeat', n: 1, event_id: 'h' };
    expect(new LegacyToCanonicalEvents().push(odd as unknown as LegacyEvent)).toEqual([odd]);
    expect(new CanonicalToLegacyEvents().push(odd as unknown as CanonicalEvent)).toEqual([odd]);
  });

  it('passes status updates and errors one-to-one', () => {
    const status = {
      event_type: 'interaction.status_update',
      interaction_id: 'x',
      status: 'in_progress',
      event_id: '1',
    } as const;
    const error = {
      event_type: 'error',
      error: { code: 'not_found', message: 'gone' },
      event_id: '2',
    } as const;
    expect(new LegacyToCanonicalEvents().push(status)).toEqual([status]);
    expect(new CanonicalToLegacyEvents().push(error)).toEqual([error]);
  });
});
