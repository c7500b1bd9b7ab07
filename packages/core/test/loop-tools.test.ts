/** Tool execution in the loop: failures as data, policies, timeouts, concurrency caps, abort. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunAbortedError, Runner, ToolExecutionError, tool } from '../src/index.ts';
import { call, FakeBackend, text } from './helpers/fake-backend.ts';
import { sleep } from './helpers/sleep.ts';
import { getWeather, toolThatWaits } from './helpers/tools.ts';

const model = 'gemini-3-flash-preview';

const resultsSent = (backend: FakeBackend, request = 1) => backend.requests[request]?.input;

describe('failures are data', () => {
  it('a throwing tool becomes an is_error function_result and the run goes on', async () => {
    const flaky = tool({
      name: 'flaky',
      description: 'fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('database unreachable');
      },
    });
    const backend = new FakeBackend([[call('flaky', {}, 'f1')], [text('Sorry, the database is down.')]]);
    const result = await new Runner({ backend, model, tools: [flaky] }).run('go');
    expect(result.finishReason).toBe('completed');
    expect(resultsSent(backend)).toEqual([
      {
        type: 'function_result',
        call_id: 'f1',
        name: 'flaky',
        result: 'Error in tool flaky: database unreachable',
        is_error: true,
      },
    ]);
    expect(result.steps[0]?.toolResults[0]).toMatchObject({ isError: true, errorKind: 'execution_error' });
  });

  it('invalid arguments go back with field paths; the model fixes them on the next step', async () => {
    const backend = new FakeBackend([
      [call('get_weather', { location: 42 }, 'bad')],
      [call('get_weather', { location: 'Paris' }, 'good')],
      [text('Sunny in Paris.')],
    ]);
    const result = await new Runner({ backend, model, tools: [getWeather] }).run('Weather?');
    expect(resultsSent(backend, 1)).toEqual([
      {
        type: 'function_result',
        call_id: 'bad',
        name: 'get_weather',
        result:
          'Invalid arguments for get_weather: location: expected string, received number. Fix and call again.',
        is_error: true,
      },
    ]);
    expect(resultsSent(backend, 2)).toEqual([
      {
        type: 'function_result',
        call_id: 'good',
        name: 'get_weather',
        result: 'The weather in Paris is sunny.',
      },
    ]);
    expect(result.text).toBe('Sunny in Paris.');
  });

  it('malformed JSON arguments and unknown tools are errors for the model too', async () => {
    const backend = new FakeBackend([
      [call('get_weather', '{"location": "Par', 'm'), call('get_wether', { location: 'x' }, 'u')],
      [text('ok')],
    ]);
    await new Runner({ backend, model, tools: [getWeather] }).run('go');
    const [malformed, unknown] = resultsSent(backend) as { result: string; is_error: boolean }[];
    expect(malformed?.result).toMatch(
      /^Invalid arguments for get_weather: the arguments are not valid JSON \(.+\)\. Fix and call again\.$/,
    );
    expect(unknown).toMatchObject({
      result: 'Unknown tool "get_wether". Available tools: get_weather. Call one of them instead.',
      is_error: true,
    });
  });

  it('a tool that outlives its timeout is stopped (its signal aborts) and reported', async () => {
    let stopped!: (reason: unknown) => void;
    const abortSeen = new Promise<unknown>((resolve) => {
      stopped = resolve;
    });
    const slow = tool({
      name: 'slow',
      description: 'slow',
      parameters: z.object({}),
      timeoutMs: 30,
      execute: async (_args, { signal }) => {
        await sleep(5_000, signal).catch(stopped);
        return 'late';
      },
    });
    const backend = new FakeBackend([[call('slow', {}, 's1')], [text('ok')]]);
    const result = await new Runner({ backend, model, tools: [slow] }).run('go');
    expect(result.steps[0]?.toolResults[0]).toMatchObject({
      isError: true,
      errorKind: 'timeout',
      result: 'Tool slow timed out after 30 ms and was stopped. Try again later or with a smaller request.',
    });
    expect(((await abortSeen) as Error).name).toBe('TimeoutError');
  });

  it('onToolError can substitute a result or make the run throw', async () => {
    const broken = tool({
      name: 'broken',
      description: '',
      parameters: z.object({}),
      execute: () => {
        throw new TypeError('nope');
      },
    });
    const t1 = new FakeBackend([[call('broken', {}, 'b1')], [text('ok')]]);
    await new Runner({
      backend: t1,
      model,
      tools: [broken],
      onToolError: (f) => ({ result: { fallback: true, kind: f.kind }, isError: false }),
    }).run('go');
    expect(resultsSent(t1)).toEqual([
      {
        type: 'function_result',
        call_id: 'b1',
        name: 'broken',
        result: { fallback: true, kind: 'execution_error' },
      },
    ]);

    const t2 = new FakeBackend([[call('broken', {}, 'b2')]]);
    const error = await new Runner({ backend: t2, model, tools: [broken], onToolError: () => 'throw' })
      .run('go')
      .catch((e) => e);
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ code: 'tool_execution_failed', toolName: 'broken', callId: 'b2' });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.state.calls[0].status).toBe('ready');
  });
});

describe('concurrency', () => {
  function tracked(delay = 20) {
    let active = 0;
    let peak = 0;
    const order: string[] = [];
    const t = tool({
      name: 'work',
      description: '',
      parameters: z.object({ n: z.number() }),
      execute: async ({ n }) => {
        active++;
        peak = Math.max(peak, active);
        order.push(`start ${n}`);
        await sleep(delay);
        active--;
        order.push(`end ${n}`);
        return n * 2;
      },
    });
    return { tool: t, peak: () => peak, order };
  }

  it('runs a step’s calls in parallel, up to toolConcurrency at once, results in call order', async () => {
    const work = tracked();
    const calls = [1, 2, 3, 4, 5].map((n) => call('work', { n }, `w${n}`));
    const backend = new FakeBackend([calls, [text('done')]]);
    await new Runner({ backend, model, tools: [work.tool], toolConcurrency: 2 }).run('go');
    expect(work.peak()).toBe(2);
    expect(
      (resultsSent(backend) as { call_id: string; result: unknown }[]).map((r) => [r.call_id, r.result]),
    ).toEqual([
      ['w1', 2],
      ['w2', 4],
      ['w3', 6],
      ['w4', 8],
      ['w5', 10],
    ]);
  });

  it('three tools in parallel with the default cap', async () => {
    const work = tracked(30);
    const backend = new FakeBackend([[1, 2, 3].map((n) => call('work', { n }, `p${n}`)), [text('done')]]);
    await new Runner({ backend, model, tools: [work.tool] }).run('go');
    expect(work.peak()).toBe(3);
  });
});

describe('abort', () => {
  it('aborting mid-tool reaches the tool’s signal and rejects with RunAbortedError carrying the state', async () => {
    const long = toolThatWaits('long');
    const backend = new FakeBackend([[call('long', {}, 'l1')], [text('unreachable')]]);
    const controller = new AbortController();
    const run = new Runner({ backend, model, tools: [long.tool] }).start('go', { signal: controller.signal });
    await long.entered;
    controller.abort(new Error('user pressed stop'));
    const error = await run.result.catch((e) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(error.message).toBe('Run aborted: user pressed stop');
    expect(long.signal()?.aborted).toBe(true);
    expect(backend.calls).toBe(1);
    expect(error.state.calls[0]).toMatchObject({ status: 'ready', call: { id: 'l1' } });
  });

  it('handle.abort() before the model answers stops the run too', async () => {
    let calling!: () => void;
    const modelCalled = new Promise<void>((resolve) => {
      calling = resolve;
    });
    const backend = new FakeBackend([
      async (_req, _i, { signal }) => {
        calling();
        await sleep(10_000, signal);
        return [text('late')];
      },
    ]);
    const run = new Runner({ backend, model }).start('go');
    await modelCalled;
    run.abort('bye');
    await expect(run.result).rejects.toMatchObject({ code: 'run_aborted', message: 'Run aborted: bye' });
  });
});
