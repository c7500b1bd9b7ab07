/** The flow state machine as data: what runs next, what each step continues, the saved tree, progress mapping. */
import type { CanonicalEvent } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProgressMapper } from '../src/compose/progress.ts';
import {
  indexFlow,
  type LeafState,
  type LeafStatus,
  loadStep,
  needsFlow,
  nextActions,
  saveStep,
  shapeOf,
  sourceOf,
} from '../src/compose/state.ts';
import {
  type AgentStep,
  agentStep,
  chain,
  type FlowEvent,
  type LeafStep,
  modelStep,
  parallel,
  tool,
} from '../src/index.ts';

const a = agentStep({ name: 'a', agent: 'deep-research-preview-04-2026' });
const b = agentStep({ name: 'b', agent: 'deep-research-preview-04-2026' });
const c = modelStep({ name: 'c', model: 'm' });
const d = modelStep({ name: 'd', model: 'm' });

function leaves(index: ReturnType<typeof indexFlow>, status: Record<string, LeafStatus>) {
  return new Map(
    index.leaves.map((n): [string, LeafState] => [
      n.path,
      {
        path: n.path,
        name: n.step.name,
        kind: (n.step as LeafStep).kind,
        status: status[n.step.name] ?? 'pending',
        interactionIds: [],
      },
    ]),
  );
}
const names = (index: ReturnType<typeof indexFlow>, actions: { kind: string; path: string }[]) =>
  actions.map((x) => `${x.kind}:${index.nodes.get(x.path)!.step.name}`);

describe('nextActions', () => {
  const index = indexFlow(chain(parallel(a, b), c, d).root);

  it('starts the branches of a parallel together, the join after both, then the next', () => {
    let next = nextActions(index, leaves(index, {}));
    expect(next.outcome).toBe('busy');
    expect(names(index, next.actions)).toEqual(['start:a', 'start:b']);
    next = nextActions(index, leaves(index, { a: 'completed', b: 'running' }));
    expect(names(index, next.actions)).toEqual(['follow:b']);
    next = nextActions(index, leaves(index, { a: 'completed', b: 'completed' }));
    expect(names(index, next.actions)).toEqual(['start:c']);
    next = nextActions(
      index,
      leaves(index, { a: 'completed', b: 'completed', c: 'completed', d: 'completed' }),
    );
    expect(next).toEqual({ outcome: 'completed', actions: [] });
  });

  it('ends failed or cancelled as soon as a step does', () => {
    expect(nextActions(index, leaves(index, { a: 'failed', b: 'running' })).outcome).toBe('failed');
    expect(
      nextActions(index, leaves(index, { a: 'completed', b: 'completed', c: 'cancelled' })).outcome,
    ).toBe('cancelled');
  });

  it('a `from` step waits for the step it continues', () => {
    const late = modelStep({ name: 'late', model: 'm', from: 'x' });
    const x = modelStep({ name: 'x', model: 'm' });
    const idx = indexFlow(parallel(chain(late), x).root);
    expect(names(idx, nextActions(idx, leaves(idx, {})).actions)).toEqual(['start:x']);
    expect(names(idx, nextActions(idx, leaves(idx, { x: 'completed' })).actions)).toEqual(['start:late']);
  });
});

describe('sourceOf: which interaction a step continues', () => {
  it('chain predecessor; after a parallel, its continueFrom branch with the others embedded', () => {
    const index = indexFlow(
      chain(a, parallel([b, chain(c, d)], { continueFrom: 1 }), modelStep({ name: 'e', model: 'm' })).root,
    );
    const node = (name: string) => index.leaves.find((n) => n.step.name === name)!;
    const src = (name: string) => {
      const s = sourceOf(index, node(name));
      return { leaf: s.leaf?.step.name, embeds: s.embeds.map((n) => n.step.name), fresh: s.fresh };
    };
    expect(src('a')).toEqual({ leaf: undefined, embeds: [], fresh: false }); // the flow's previousInteractionId
    expect(src('b')).toEqual({ leaf: 'a', embeds: [], fresh: false }); // fan-out from a
    expect(src('c')).toEqual({ leaf: 'a', embeds: [], fresh: false });
    expect(src('d')).toEqual({ leaf: 'c', embeds: [], fresh: false });
    expect(src('e')).toEqual({ leaf: 'd', embeds: ['b'], fresh: false }); // fan-in: continues d, embeds b
  });

  it('from: a name forks from that step, null starts fresh', () => {
    const fork = modelStep({ name: 'fork', model: 'm', from: 'a' });
    const fresh = modelStep({ name: 'fresh', model: 'm', from: null });
    const index = indexFlow(chain(a, c, fork, fresh).root);
    const leaf = (name: string) => index.leaves.find((n) => n.step.name === name)!;
    expect(sourceOf(index, leaf('fork')).leaf?.step.name).toBe('a');
    expect(sourceOf(index, leaf('fresh'))).toEqual({ leaf: undefined, embeds: [], fresh: true });
  });
});

describe('the saved step tree', () => {
  it('round-trips data, marks functions, and knows when the flow itself is needed', () => {
    const weather = tool({
      name: 'get_weather',
      description: 'Weather.',
      parameters: z.object({}),
      execute: () => 'sunny',
    });
    const fnInput = modelStep({ name: 'fn', model: 'm', input: (ctx) => String(ctx.previous?.text) });
    const withTools = modelStep({ name: 'tools', model: 'm', tools: [weather, { type: 'google_search' }] });
    const root = chain(
      agentStep({ name: 'r', agent: 'deep-research-x', agentConfig: { thinking_summaries: 'auto' } }),
      fnInput,
      withTools,
    ).root;
    const saved = JSON.parse(JSON.stringify(saveStep(root)));
    expect(saved.steps[0]).toEqual({
      kind: 'agent',
      name: 'r',
      agent: 'deep-research-x',
      background: true,
      agentConfig: { thinking_summaries: 'auto', type: 'deep-research' },
    });
    expect(saved.steps[1].input).toEqual({ function: true });
    expect(saved.steps[2].tools).toEqual([{ function: 'get_weather' }, { type: 'google_search' }]);
    const loaded = loadStep(saved);
    expect(shapeOf(loaded)).toBe(shapeOf(root));
    const [r, fn, tools] = (loaded as { steps: LeafStep[] }).steps as [AgentStep, LeafStep, LeafStep];
    expect(needsFlow(r, 'pending')).toBeUndefined();
    expect(needsFlow(fn, 'pending')).toMatch(/computes its input with a function/);
    expect(needsFlow(fn, 'running')).toBeUndefined(); // started: its input was already sent
    expect(needsFlow(fn, 'completed')).toBeUndefined();
    expect(needsFlow(tools, 'running')).toMatch(/function tools \(get_weather\)/);
    expect(needsFlow(tools, 'completed')).toBeUndefined();
  });
});

describe('ProgressMapper', () => {
  it('maps a stream into status, thought, tool and text events with cursors', () => {
    const out: FlowEvent[] = [];
    const mapper = new ProgressMapper('flow_1', 'research', undefined, (e) => out.push(e));
    const events: CanonicalEvent[] = [
      { event_type: 'interaction.created', interaction: { id: 'int_1', status: 'in_progress' } },
      { event_type: 'interaction.status_update', interaction_id: 'int_1', status: 'in_progress' },
      { event_type: 'step.start', index: 0, step: { type: 'thought' } },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'thought_summary', content: { type: 'text', text: '**Plan**' } },
      },
      { event_type: 'step.stop', index: 0 },
      {
        event_type: 'step.start',
        index: 1,
        step: { type: 'google_search_call', id: 'c1', arguments: { queries: ['q'] } },
      },
      { event_type: 'step.stop', index: 1 },
      // A result announced empty and filled by a delta (as a converted legacy stream does) waits for stop.
      { event_type: 'step.start', index: 2, step: { type: 'google_search_result' } as never },
      {
        event_type: 'step.delta',
        index: 2,
        delta: { type: 'google_search_result', call_id: 'c1', result: [{ url: 'u' }] } as never,
      },
      { event_type: 'step.stop', index: 2 },
      {
        event_type: 'step.start',
        index: 3,
        step: { type: 'function_call', id: 'f1', name: 'get', arguments: {} },
      },
      { event_type: 'step.delta', index: 3, delta: { type: 'arguments_delta', arguments: '{"a":' } },
      { event_type: 'step.delta', index: 3, delta: { type: 'arguments_delta', arguments: '1}' } },
      { event_type: 'step.stop', index: 3 },
      {
        event_type: 'step.start',
        index: 4,
        step: { type: 'model_output', content: [{ type: 'text', text: 'Hel' }] },
      },
      { event_type: 'step.delta', index: 4, delta: { type: 'text', text: 'lo' } },
      { event_type: 'step.stop', index: 4 },
      { event_type: 'interaction.completed', interaction: { id: 'int_1', status: 'completed' } },
    ];
    for (const [i, e] of events.entries()) mapper.push(e, `evt_${i + 1}`);
    expect(
      out.map((e) => {
        const {
          flowId: _f,
          step: _s,
          cursor,
          ...rest
        } = e as unknown as Record<string, unknown> & {
          cursor?: { eventId: string };
        };
        return { ...rest, at: cursor?.eventId };
      }),
    ).toEqual([
      { type: 'status', interactionId: 'int_1', status: 'in_progress', at: 'evt_1' },
      { type: 'thought_summary', text: '**Plan**', at: 'evt_4' },
      {
        type: 'tool_call',
        callType: 'google_search_call',
        id: 'c1',
        arguments: { queries: ['q'] },
        at: 'evt_6',
      },
      {
        type: 'tool_result',
        resultType: 'google_search_result',
        callId: 'c1',
        isError: false,
        result: [{ url: 'u' }],
        at: 'evt_10',
      },
      {
        type: 'tool_call',
        callType: 'function_call',
        id: 'f1',
        name: 'get',
        arguments: { a: 1 },
        at: 'evt_14',
      },
      { type: 'text_delta', delta: 'Hel', at: 'evt_15' },
      { type: 'text_delta', delta: 'lo', at: 'evt_16' },
      { type: 'status', interactionId: 'int_1', status: 'completed', at: 'evt_18' },
    ]);
  });
});
