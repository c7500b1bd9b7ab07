/** Human approval: pause, serialize, decide, resume — in a fresh runner, as in another process. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Runner, RunState, tool } from '../src/index.ts';
import { call, FakeBackend, text } from './helpers/fake-backend.ts';
import { deleteFile, getWeather } from './helpers/tools.ts';

const model = 'gemini-3-flash-preview';

describe('approval', () => {
  it('pauses with interruptions, survives JSON, and resumes in a new runner', async () => {
    const backend = new FakeBackend([
      [call('delete_file', { path: '/tmp/old.log' }, 'd1'), call('get_weather', { location: 'Paris' }, 'w1')],
      [text('Deleted, and it is sunny.')],
    ]);
    const runner = new Runner({ backend, model, tools: [deleteFile, getWeather] });
    const paused = await runner.run('Delete /tmp/old.log and tell me the weather');
    expect(paused.finishReason).toBe('interrupted');
    expect(paused.interruptions).toEqual([
      { callId: 'd1', toolName: 'delete_file', arguments: { path: '/tmp/old.log' }, step: 1 },
    ]);
    expect(backend.calls).toBe(1);
    // The call that needs no approval already ran (one at a time) and its result waits in the state.
    expect(paused.state.calls.find((c) => c.call.id === 'w1')).toMatchObject({ status: 'done' });

    const saved = JSON.stringify(paused.state);
    expect(saved.length).toBeLessThan(1_000);

    const restored = RunState.fromJSON(saved);
    restored.approve('d1');
    const freshRunner = new Runner({ backend, model, tools: [deleteFile, getWeather] });
    const done = await freshRunner.run(restored);
    expect(done.finishReason).toBe('completed');
    expect(done.text).toBe('Deleted, and it is sunny.');
    expect(backend.requests[1]).toMatchObject({
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
    const backend = new FakeBackend([[call('delete_file', { path: '/' }, 'd1')], [text('OK, I will not.')]]);
    const runner = new Runner({ backend, model, tools: [deleteFile] });
    const paused = await runner.run('wipe');
    paused.state.reject('d1', 'far too dangerous');
    const done = await runner.run(paused.state);
    expect(done.text).toBe('OK, I will not.');
    expect(backend.requests[1]?.input).toEqual([
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
    const backend = new FakeBackend([
      [call('transfer', { amount: 50 }, 'small'), call('transfer', { amount: 5000 }, 'big')],
      [text('done')],
    ]);
    const paused = await new Runner({ backend, model, tools: [transfer] }).run('pay');
    expect(paused.interruptions.map((p) => p.callId)).toEqual(['big']);
  });

  it('invalid arguments never wait for approval: the model fixes them first', async () => {
    const backend = new FakeBackend([[call('delete_file', { path: 7 }, 'd1')], [text('fixed later')]]);
    const result = await new Runner({ backend, model, tools: [deleteFile] }).run('go');
    expect(result.finishReason).toBe('completed');
    expect(backend.requests[1]?.input).toEqual([expect.objectContaining({ call_id: 'd1', is_error: true })]);
  });

  it('emits approval_requested on the run’s emitter and in events()', async () => {
    const backend = new FakeBackend([[call('delete_file', { path: '/x' }, 'd1')]]);
    const runner = new Runner({ backend, model, tools: [deleteFile] });
    const heard: string[] = [];
    const run = runner.start('go');
    run.on('approval_requested', (e) => heard.push(...e.pending.map((p) => p.callId)));
    const types: string[] = [];
    for await (const e of run.events()) types.push(e.type);
    expect(heard).toEqual(['d1']);
    expect(types.slice(-2)).toEqual(['approval_requested', 'run_finish']);
  });
});

describe('approval of a call to a tool that prepareStep supplied', () => {
  // The pattern mcpPrepareStep uses: the runner has no tools of its own, prepareStep offers them per step.
  const prepareStep = () => ({ tools: [deleteFile, getWeather] });
  const replies = () =>
    new FakeBackend([[call('delete_file', { path: '/tmp/old.log' }, 'd1')], [text('Deleted.')]]);

  it('resumes in the same process: the approved call runs', async () => {
    const backend = replies();
    const runner = new Runner({ backend, model, prepareStep });
    const paused = await runner.run('Delete /tmp/old.log');
    expect(paused.finishReason).toBe('interrupted');
    expect(paused.steps[0]?.offeredTools).toEqual(['delete_file', 'get_weather']);
    paused.state.approve('d1');
    const done = await runner.run(paused.state);
    expect(done.finishReason).toBe('completed');
    expect(backend.requests[1]?.input).toEqual([
      { type: 'function_result', call_id: 'd1', name: 'delete_file', result: 'deleted /tmp/old.log' },
    ]);
  });

  it('resumes from JSON in a fresh runner, as in another process; prepareStep is asked again for that step', async () => {
    const backend = replies();
    const first = new Runner({ backend, model, prepareStep });
    const saved = JSON.stringify((await first.run('Delete /tmp/old.log')).state);
    expect(JSON.parse(saved).steps[0].offeredTools).toEqual(['delete_file', 'get_weather']);

    const asked: { step: number; resumed: boolean }[] = [];
    const second = new Runner({
      backend,
      model,
      prepareStep: ({ step, resumed }) => {
        asked.push({ step, resumed });
        return prepareStep();
      },
    });
    const state = RunState.fromJSON(saved).approve('d1');
    const done = await second.run(state);
    expect(done.text).toBe('Deleted.');
    expect(done.steps[0]?.toolResults[0]).toMatchObject({ isError: false, result: 'deleted /tmp/old.log' });
    expect(asked).toEqual([
      { step: 1, resumed: true },
      { step: 2, resumed: false },
    ]);
  });

  it('a resumed call finds only the tools its step offered', async () => {
    let entered!: () => void;
    const running = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slow = tool({
      name: 'slow',
      description: '',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        entered();
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
    });
    const backend = new FakeBackend([
      [call('slow', {}, 's1'), call('get_weather', { location: 'Paris' }, 'w1')],
      [text('ok')],
    ]);
    // Step 1 offered `slow` only; the model also called get_weather. One call at a time, and the run is
    // aborted during the first: both calls are still to run when it resumes.
    const controller = new AbortController();
    const first = new Runner({ backend, model, toolConcurrency: 1, prepareStep: () => ({ tools: [slow] }) });
    const aborted = first.run('go', { signal: controller.signal }).catch((e) => e);
    await running;
    controller.abort('stop');
    const saved = JSON.stringify((await aborted).state);

    const quick = tool({ name: 'slow', description: '', parameters: z.object({}), execute: () => 'quick' });
    const resumed = new Runner({ backend, model, prepareStep: () => ({ tools: [quick, getWeather] }) });
    const done = await resumed.run(RunState.fromJSON(saved));
    expect(done.finishReason).toBe('completed');
    expect(backend.requests[1]?.input).toEqual([
      { type: 'function_result', call_id: 's1', name: 'slow', result: 'quick' },
      {
        type: 'function_result',
        call_id: 'w1',
        name: 'get_weather',
        result: 'Unknown tool "get_weather". Available tools: slow. Call one of them instead.',
        is_error: true,
      },
    ]);
  });
});
