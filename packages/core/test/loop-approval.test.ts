/** Human approval: pause, serialize, decide, resume — in a fresh runner, as in another process. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Runner, RunState, tool } from '../src/index.ts';
import { call, FakeTransport, text } from './helpers/fake-transport.ts';
import { deleteFile, getWeather } from './helpers/tools.ts';

const model = 'gemini-3-flash-preview';

describe('approval', () => {
  it('pauses with interruptions, survives JSON, and resumes in a new runner', async () => {
    const transport = new FakeTransport([
      [call('delete_file', { path: '/tmp/old.log' }, 'd1'), call('get_weather', { location: 'Paris' }, 'w1')],
      [text('Deleted, and it is sunny.')],
    ]);
    const runner = new Runner({ transport, model, tools: [deleteFile, getWeather] });
    const paused = await runner.run('Delete /tmp/old.log and tell me the weather');
    expect(paused.finishReason).toBe('interrupted');
    expect(paused.interruptions).toEqual([
      { callId: 'd1', toolName: 'delete_file', arguments: { path: '/tmp/old.log' }, step: 1 },
    ]);
    expect(transport.calls).toBe(1);
    // The call that needs no approval already ran (one at a time) and its result waits in the state.
    expect(paused.state.calls.find((c) => c.call.id === 'w1')).toMatchObject({ status: 'done' });

    const saved = JSON.stringify(paused.state);
    expect(saved.length).toBeLessThan(1_000);

    const restored = RunState.fromJSON(saved);
    restored.approve('d1');
    const freshRunner = new Runner({ transport, model, tools: [deleteFile, getWeather] });
    const done = await freshRunner.run(restored);
    expect(done.finishReason).toBe('completed');
    expect(done.text).toBe('Deleted, and it is sunny.');
    expect(transport.requests[1]).toMatchObject({
      previous_interaction_id: 'int_1',
      input: [
        { type: 'function_result', call_id: 'd1', name: 'delete_file', result: 'deleted /tmp/old.log' },
        {
          type: 'function_result',
          call_id: 'w1',
          name: 'get_weather',
          result: 'The weather in Paris is sunny.',
        },
      ],
    });
    expect(done.steps.map((s) => [s.step, s.restored ?? false])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('a rejection is sent to the model as an error result with the reason', async () => {
    const transport = new FakeTransport([
      [call('delete_file', { path: '/' }, 'd1')],
      [text('OK, I will not.')],
    ]);
    const runner = new Runner({ transport, model, tools: [deleteFile] });
    const paused = await runner.run('wipe');
    paused.state.reject('d1', 'far too dangerous');
    const done = await runner.run(paused.state);
    expect(done.text).toBe('OK, I will not.');
    expect(transport.requests[1]?.input).toEqual([
      {
        type: 'function_result',
        call_id: 'd1',
        name: 'delete_file',
        result: 'The user rejected this call to delete_file: far too dangerous Do not retry it unless asked.',
        is_error: true,
      },
    ]);
  });

  it('needsApproval can be a predicate over the typed arguments', async () => {
    const transfer = tool({
      name: 'transfer',
      description: 'Move money',
      parameters: z.object({ amount: z.number() }),
      needsApproval: ({ amount }) => amount > 100,
      execute: ({ amount }) => `sent ${amount}`,
    });
    const transport = new FakeTransport([
      [call('transfer', { amount: 50 }, 'small'), call('transfer', { amount: 5000 }, 'big')],
      [text('done')],
    ]);
    const paused = await new Runner({ transport, model, tools: [transfer] }).run('pay');
    expect(paused.interruptions.map((p) => p.callId)).toEqual(['big']);
  });

  it('invalid arguments never wait for approval: the model fixes them first', async () => {
    const transport = new FakeTransport([[call('delete_file', { path: 7 }, 'd1')], [text('fixed later')]]);
    const result = await new Runner({ transport, model, tools: [deleteFile] }).run('go');
    expect(result.finishReason).toBe('completed');
    expect(transport.requests[1]?.input).toEqual([
      expect.objectContaining({ call_id: 'd1', is_error: true }),
    ]);
  });

  it('emits approval_requested on the emitter and in events()', async () => {
    const transport = new FakeTransport([[call('delete_file', { path: '/x' }, 'd1')]]);
    const runner = new Runner({ transport, model, tools: [deleteFile] });
    const heard: string[] = [];
    runner.on('approval_requested', (e) => heard.push(...e.pending.map((p) => p.callId)));
    const run = runner.start('go');
    const types: string[] = [];
    for await (const e of run.events()) types.push(e.type);
    expect(heard).toEqual(['d1']);
    expect(types.slice(-2)).toEqual(['approval_requested', 'run_finish']);
  });
});
