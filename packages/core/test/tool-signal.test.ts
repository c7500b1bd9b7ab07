/**
 * A call's `ctx.signal` (call-abort.ts): aborted by the run or by the call's time limit, quiet once the call
 * is over, and a plain field of the context.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunAbortedError, Runner, type ToolContext, tool } from '../src/index.ts';
import { call, FakeBackend, text } from './helpers/fake-backend.ts';

const model = 'gemini-3-flash-preview';

describe('tool signal', () => {
  it('a long run of calls: finished calls stay quiet when the run aborts, and no listener warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const signals: AbortSignal[] = [];
      const probe = tool({
        name: 'probe',
        description: '',
        parameters: z.object({ n: z.number() }),
        // Half synchronous, half asynchronous: both kinds must let go of the run's signal.
        execute: ({ n }, { signal }) => {
          signals.push(signal);
          return n % 2 === 0 ? n : Promise.resolve(n);
        },
      });
      const steps = Array.from({ length: 20 }, (_, i) => [call('probe', { n: i }, `p${i}`)]);
      const backend = new FakeBackend([
        ...steps,
        async () => {
          controller.abort(new Error('stop'));
          return [text('unreachable')];
        },
      ]);
      const error = await new Runner({ backend, model, tools: [probe], maxSteps: 30 })
        .run('go', { signal: controller.signal })
        .catch((e) => e);
      expect(error).toBeInstanceOf(RunAbortedError);
      expect(signals).toHaveLength(20);
      expect(signals.filter((signal) => signal.aborted)).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
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
    const backend = new FakeBackend([
      [call('sync', {}, 's1')],
      async (_req, _n, { signal: run }) => {
        controller.abort(new Error('stop'));
        run?.throwIfAborted();
        return [text('unreachable')];
      },
    ]);
    const error = await new Runner({ backend, model, tools: [sync] })
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
    const backend = new FakeBackend([[call('stopper', {}, 'x1')], [text('unreachable')]]);
    const error = await new Runner({ backend, model, tools: [stopper] })
      .run('go', { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(error.message).toBe('Run aborted: pulled the plug');
    expect(error.state.calls[0]).toMatchObject({ status: 'ready', call: { id: 'x1' } });
    expect(backend.calls).toBe(1);
  });
  it('the context is a plain object: spreading it keeps the signal', async () => {
    let copy: ToolContext | undefined;
    const spread = tool({
      name: 'spread',
      description: '',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        copy = { ...ctx };
        return 'ok';
      },
    });
    const backend = new FakeBackend([[call('spread', {}, 's1')], [text('done')]]);
    await new Runner({ backend, model, tools: [spread] }).run('go', { context: { user: 'ada' } });
    expect(copy?.signal).toBeInstanceOf(AbortSignal);
    expect(copy).toMatchObject({ callId: 's1', toolName: 'spread', step: 1, context: { user: 'ada' } });
  });
});
