/**
 * A call's `ctx.signal` (call-abort.ts): made only when needed, aborted by the run or the call's time limit,
 * and never left listening on the run's signal once the call is over.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { RunAbortedError, Runner, tool } from '../src/index.ts';
import { call, FakeTransport, text } from './helpers/fake-transport.ts';

const model = 'gemini-3-flash-preview';

describe('tool signal', () => {
  it('a long run of calls leaves no abort listener behind on the run’s signal', async () => {
    const listening: number[] = [];
    const steps = Array.from(
      { length: 20 },
      (_, i) => (_req: unknown, _n: number, o: { signal?: AbortSignal }) => {
        if (o.signal) listening.push(getEventListeners(o.signal, 'abort').length);
        return [call('probe', { n: i }, `p${i}`)];
      },
    );
    let seen = 0;
    const probe = tool({
      name: 'probe',
      description: '',
      parameters: z.object({ n: z.number() }),
      // One reads its signal, one is async: both kinds must let go of the run's signal.
      execute: async ({ n }, { signal }) => {
        if (n % 2 === 0) seen += signal.aborted ? 0 : 1;
        return n;
      },
    });
    const transport = new FakeTransport([...steps, [text('done')]]);
    const result = await new Runner({ transport, model, tools: [probe], maxSteps: 30 }).run('go');
    expect(result.finishReason).toBe('completed');
    expect(seen).toBe(10);
    expect(new Set(listening).size).toBe(1);
  });

  it('a synchronous tool gets a live signal, aborted with the run', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const sync = tool({
      name: 'sync',
      description: '',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        signal = ctx.signal;
        return 'ok';
      },
    });
    const transport = new FakeTransport([
      [call('sync', {}, 's1')],
      async (_req, _n, { signal: run }) => {
        controller.abort(new Error('stop'));
        run?.throwIfAborted();
        return [text('unreachable')];
      },
    ]);
    const error = await new Runner({ transport, model, tools: [sync] })
      .run('go', { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(signal).toBeInstanceOf(AbortSignal);
    // The call was over before the abort: its signal stays quiet.
    expect(signal?.aborted).toBe(false);
  });

  it('a synchronous tool that aborts the run while it executes ends the run, its call not done', async () => {
    const controller = new AbortController();
    const stopper = tool({
      name: 'stopper',
      description: '',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        controller.abort(new Error('pulled the plug'));
        return signal.aborted ? 'saw it' : 'missed it';
      },
    });
    const transport = new FakeTransport([[call('stopper', {}, 'x1')], [text('unreachable')]]);
    const error = await new Runner({ transport, model, tools: [stopper] })
      .run('go', { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(error.message).toBe('Run aborted: pulled the plug');
    expect(error.state.calls[0]).toMatchObject({ status: 'ready', call: { id: 'x1' } });
    expect(transport.calls).toBe(1);
  });
  it('the time limit is a timer only for a result that can be awaited: a synchronous tool costs none', async () => {
    const LIMIT = 43_210; // a value nothing else in the run uses for a timer
    const run = async (execute: () => unknown) => {
      const spy = vi.spyOn(globalThis, 'setTimeout');
      try {
        const probe = tool({ name: 'probe', description: '', parameters: z.object({}), execute });
        const transport = new FakeTransport([[call('probe', {}, 'c1')], [text('done')]]);
        const result = await new Runner({ transport, model, tools: [probe], toolTimeoutMs: LIMIT }).run('go');
        expect(result.finishReason).toBe('completed');
        return spy.mock.calls.filter(([, ms]) => ms === LIMIT).length;
      } finally {
        spy.mockRestore();
      }
    };
    expect(await run(() => 'ok')).toBe(0);
    expect(await run(async () => 'ok')).toBe(1);
  });
});
