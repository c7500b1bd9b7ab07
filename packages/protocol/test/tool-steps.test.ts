import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, ToolStepStream } from '../src/index.ts';

const completed = (events: CanonicalEvent[]) => {
  const tools = new ToolStepStream();
  return events.map((event) => tools.push(event)).filter((step) => step !== undefined);
};

describe('ToolStepStream', () => {
  it('hands a built-in call that arrives whole over at its start, once', () => {
    const call = { type: 'google_search_call' as const, id: 'c1', arguments: { queries: ['q'] } };
    expect(
      completed([
        { event_type: 'step.start', index: 0, step: call },
        { event_type: 'step.stop', index: 0 },
      ]),
    ).toEqual([call]);
  });

  it("joins a function call's argument fragments at its stop; text that is not JSON stays text", () => {
    const start = (index: number): CanonicalEvent => ({
      event_type: 'step.start',
      index,
      step: { type: 'function_call', id: `f${index}`, name: 'get', arguments: {} },
    });
    const fragment = (index: number, text: string): CanonicalEvent => ({
      event_type: 'step.delta',
      index,
      delta: { type: 'arguments_delta', arguments: text },
    });
    expect(
      completed([
        start(0),
        fragment(0, '{"a":'),
        fragment(0, '1}'),
        { event_type: 'step.stop', index: 0 },
        start(1),
        fragment(1, '{"a":'),
        { event_type: 'step.stop', index: 1 },
      ]),
    ).toEqual([
      { type: 'function_call', id: 'f0', name: 'get', arguments: { a: 1 } },
      { type: 'function_call', id: 'f1', name: 'get', arguments: '{"a":' },
    ]);
  });

  it('fills a result announced empty from its deltas, and ignores steps that are no tool steps', () => {
    const result = { type: 'code_execution_result', call_id: 'c1', result: 'ok' } as const;
    const events: CanonicalEvent[] = [{ type: 'thought' }, { type: 'code_execution_result' }].flatMap(
      (step, index): CanonicalEvent[] => [
        { event_type: 'step.start', index, step: step as never },
        ...(index === 1 ? [{ event_type: 'step.delta', index, delta: result } as CanonicalEvent] : []),
        { event_type: 'step.stop', index },
      ],
    );
    expect(completed(events)).toEqual([result]);
  });
});
