/**
 * Run events: the loop's generator (`runner.iterate`), each run's own emitter and its event log agree, in
 * order; concurrent runs never see each other's events; stream deltas carry the server cursor.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunEvent, Runner, tool } from '../src/index.ts';
import { call, FakeBackend, text, thought } from './helpers/fake-backend.ts';
import { getWeather } from './helpers/tools.ts';

const model = 'gemini-3-flash-preview';

/** A runner whose model calls get_weather for Paris, then answers "Sunny.". */
const weatherRunner = () =>
  new Runner({
    backend: new FakeBackend([[call('get_weather', { location: 'Paris' }, 'c1')], [text('Sunny.')]]),
    model,
    tools: [getWeather],
  });
/** The event types of that run, in order: the step with the tool call, then the step with the answer. */
const WEATHER_RUN_EVENTS = [
  'run_start',
  ...['step_start', 'status_change', 'tool_call', 'tool_result', 'step_finish'],
  ...['step_start', 'status_change', 'step_finish'],
  'run_finish',
] as const;

describe('events', () => {
  it('come in order, identical on run.on and run.events()', async () => {
    const runner = weatherRunner();
    const run = runner.start('Weather in Paris?');
    const viaEmitter: RunEvent[] = [];
    for (const type of new Set(WEATHER_RUN_EVENTS)) run.on(type, (e) => viaEmitter.push(e));
    const viaIterator: RunEvent[] = [];
    for await (const e of run.events()) viaIterator.push(e);
    await run.result;

    expect(viaIterator.map((e) => e.type)).toEqual(WEATHER_RUN_EVENTS);
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
    const backend = new FakeBackend([[text('hi')]]);
    const run = new Runner({ backend, model }).start('x');
    await run.result;
    const types: string[] = [];
    for await (const e of run.events()) types.push(e.type);
    expect(types).toEqual(['run_start', 'step_start', 'status_change', 'step_finish', 'run_finish']);
  });

  it('streaming: text and thought deltas, status changes and tool calls carry the server event_id cursor', async () => {
    const backend = new FakeBackend([
      [thought('sig', 'Looking up the weather'), call('get_weather', { location: 'Paris' }, 'c1')],
      [text('It is sunny in Paris.')],
    ]);
    const run = new Runner({ backend, model, tools: [getWeather], stream: true }).start('Weather?');
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
    expect(backend.requests.every((r) => r.stream === true)).toBe(true);
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
    const backend = new FakeBackend([[call('boom', {})]]);
    const runner = new Runner({ backend, model, tools: [boom], onToolError: () => 'throw' });
    const errors: unknown[] = [];
    const run = runner.start('go');
    run.on('run_error', (e) => errors.push(e.error));
    const read = async () => {
      for await (const _ of run.events()) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'tool_execution_failed' });
    await expect(run.result).rejects.toMatchObject({ code: 'tool_execution_failed' });
    expect(errors).toHaveLength(1);
  });

  it('two concurrent runs of one runner each hear only their own events', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const backend = new FakeBackend([
      async () => {
        await gate;
        return [text('first')];
      },
      [text('second')],
    ]);
    const runner = new Runner({ backend, model });
    const first = runner.start('one');
    const second = runner.start('two');
    const heard = { first: new Set<string>(), second: new Set<string>() };
    first.on('step_finish', (e) => heard.first.add(e.runId));
    second.on('step_finish', (e) => heard.second.add(e.runId));
    const secondResult = await second.result;
    release();
    const firstResult = await first.result;
    expect([firstResult.text, secondResult.text]).toEqual(['first', 'second']);
    expect([...heard.first]).toEqual([first.runId]);
    expect([...heard.second]).toEqual([second.runId]);
  });

  it('runner.iterate() yields the same events and returns the result', async () => {
    const runner = weatherRunner();
    const events = runner.iterate('Weather in Paris?');
    const types: string[] = [];
    let next = await events.next();
    for (; !next.done; next = await events.next()) types.push(next.value.type);
    expect(types).toEqual(WEATHER_RUN_EVENTS);
    expect(next.value).toMatchObject({ finishReason: 'completed', text: 'Sunny.' });
  });

  it('a reader that stops iterating early aborts the calls still running', async () => {
    let seen: AbortSignal | undefined;
    const quick = tool({ name: 'quick', description: '', parameters: z.object({}), execute: () => 'done' });
    const wait = tool({
      name: 'wait',
      description: '',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        seen = signal;
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
    });
    const backend = new FakeBackend([
      [call('wait', {}, 'w1'), call('quick', {}, 'q1')],
      [text('unreachable')],
    ]);
    const events = new Runner({ backend, model, tools: [wait, quick] }).iterate('go');
    for await (const e of events) if (e.type === 'tool_result') break;
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toMatchObject({ code: 'run_abandoned' });
    expect(backend.calls).toBe(1);
  });
});
