/** Run events: order, the emitter and the iterator agree, stream deltas carry the server cursor. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunEvent, Runner, tool } from '../src/index.ts';
import { call, FakeTransport, text, thought } from './helpers/fake-transport.ts';
import { getWeather } from './helpers/tools.ts';

const model = 'gemini-3-flash-preview';

describe('events', () => {
  it('come in order, identical on runner.on and run.events()', async () => {
    const transport = new FakeTransport([
      [call('get_weather', { location: 'Paris' }, 'c1')],
      [text('Sunny.')],
    ]);
    const runner = new Runner({ transport, model, tools: [getWeather] });
    const viaEmitter: RunEvent[] = [];
    for (const type of [
      'run_start',
      'step_start',
      'status_change',
      'tool_call',
      'tool_result',
      'step_finish',
      'run_finish',
    ] as const) {
      runner.on(type, (e) => viaEmitter.push(e));
    }
    const run = runner.start('Weather in Paris?');
    const viaIterator: RunEvent[] = [];
    for await (const e of run.events()) viaIterator.push(e);
    await run.result;

    expect(viaIterator.map((e) => e.type)).toEqual([
      'run_start',
      'step_start',
      'status_change',
      'tool_call',
      'tool_result',
      'step_finish',
      'step_start',
      'status_change',
      'step_finish',
      'run_finish',
    ]);
    expect(viaEmitter).toEqual(viaIterator);
    expect(viaIterator.every((e) => e.runId === run.runId)).toBe(true);
    const finish = viaIterator.at(-1);
    expect(finish).toMatchObject({
      type: 'run_finish',
      finishReason: 'completed',
      usage: { total_tokens: 30 },
    });
    const stepFinish = viaIterator.find((e) => e.type === 'step_finish');
    expect(stepFinish).toMatchObject({ step: 1, usage: { total_tokens: 15 } });
  });

  it('a late reader of events() still gets every event from the start', async () => {
    const transport = new FakeTransport([[text('hi')]]);
    const run = new Runner({ transport, model }).start('x');
    await run.result;
    const types: string[] = [];
    for await (const e of run.events()) types.push(e.type);
    expect(types).toEqual(['run_start', 'step_start', 'status_change', 'step_finish', 'run_finish']);
  });

  it('streaming: text and thought deltas, status changes and tool calls carry the server event_id cursor', async () => {
    const transport = new FakeTransport([
      [thought('sig', 'Looking up the weather'), call('get_weather', { location: 'Paris' }, 'c1')],
      [text('It is sunny in Paris.')],
    ]);
    const run = new Runner({ transport, model, tools: [getWeather], stream: true }).start('Weather?');
    const events: RunEvent[] = [];
    for await (const e of run.events()) events.push(e);
    const result = await run.result;

    const deltas = events.filter((e) => e.type === 'text_delta');
    expect(deltas.map((e) => e.delta).join('')).toBe('It is sunny in Paris.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas[0]).toMatchObject({
      step: 2,
      cursor: { interactionId: 'int_2', eventId: expect.stringMatching(/^int_2:e\d+$/) },
    });
    expect(events.find((e) => e.type === 'thought_delta')).toMatchObject({
      delta: 'Looking up the weather',
      step: 1,
    });
    const toolCall = events.find((e) => e.type === 'tool_call');
    expect(toolCall).toMatchObject({ call: { id: 'c1' }, cursor: { interactionId: 'int_1' } });
    const statuses = events.filter((e) => e.type === 'status_change').map((e) => e.status);
    expect(statuses).toEqual(['in_progress', 'requires_action', 'in_progress', 'completed']);
    expect(transport.requests.every((r) => r.stream === true)).toBe(true);
    expect(result.text).toBe('It is sunny in Paris.');
  });

  it('the iterator throws the run’s error; run_error is emitted', async () => {
    const boom = tool({
      name: 'boom',
      description: '',
      parameters: z.object({}),
      execute: () => {
        throw new Error('x');
      },
    });
    const transport = new FakeTransport([[call('boom', {})]]);
    const runner = new Runner({ transport, model, tools: [boom], onToolError: () => 'throw' });
    const errors: unknown[] = [];
    runner.on('run_error', (e) => errors.push(e.error));
    const run = runner.start('go');
    const read = async () => {
      for await (const _ of run.events()) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'tool_execution_failed' });
    await expect(run.result).rejects.toMatchObject({ code: 'tool_execution_failed' });
    expect(errors).toHaveLength(1);
  });
});
