/** Reading where a taken-over run goes on from (replicas/resume-point.ts) out of its stored log. */
import type { CanonicalEvent } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { resumePoint } from '../src/replicas/resume-point.ts';

const log = (events: CanonicalEvent[]) =>
  events.map((event, i) => ({ seq: i + 1, eventId: `evt_${i + 1}`, event }));
const created: CanonicalEvent = {
  event_type: 'interaction.created',
  interaction: { id: 'v1_x', status: 'in_progress', object: 'interaction', created: 'c', updated: 'c' },
};
const text = (index: number, t: string): CanonicalEvent[] => [
  { event_type: 'step.start', index, step: { type: 'model_output', content: [] } },
  { event_type: 'step.delta', index, delta: { type: 'text', text: t } },
];
const stop = (index: number): CanonicalEvent => ({ event_type: 'step.stop', index });

describe('resumePoint', () => {
  it('a log with no step yet: nothing done, nothing interrupted', () => {
    expect(resumePoint(log([created]))).toMatchObject({ lastSeq: 1, steps: [], interrupted: false });
  });

  it('completed steps in order, and the one the replica was writing when it stopped', () => {
    const call = { type: 'function_call', id: 'c1', name: 'f', arguments: {} } as const;
    const point = resumePoint(
      log([
        created,
        ...text(0, 'first'),
        stop(0),
        { event_type: 'step.start', index: 1, step: call },
        { event_type: 'step.delta', index: 1, delta: { type: 'arguments_delta', arguments: '{"a":1}' } },
        stop(1),
        ...text(2, 'half an ans'),
      ]),
    );
    expect(point.lastSeq).toBe(9);
    expect(point.steps).toEqual([
      { type: 'model_output', content: [{ type: 'text', text: 'first' }] },
      { ...call, arguments: { a: 1 } },
    ]);
    expect(point.interrupted).toBe(true);
    // What a reader of the log has seen so far includes the interrupted step.
    expect(point.tracker.items).toHaveLength(3);
  });

  it('a step started again after an earlier takeover counts once it stops again', () => {
    const point = resumePoint(log([created, ...text(0, 'cut'), ...text(0, 'whole'), stop(0)]));
    expect(point.steps).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'whole' }] }]);
    expect(point.interrupted).toBe(false);
    expect(resumePoint(log([created, ...text(0, 'a'), stop(0), ...text(0, 'again')])).interrupted).toBe(true);
  });
});
