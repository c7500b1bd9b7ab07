/**
 * The two readers of a run's events (run/emit.ts): a handle hears each event as it happens, and a listener
 * that throws ends the run; a generator reader (`runner.iterate()`) paces the loop — nothing, not a tool,
 * not a model call, not the next piece of a stream, runs ahead of it — and leaving early unwinds the run.
 */
import type { CanonicalRequest } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, type BackendStream, type RunEvent, Runner, tool } from '../src/index.ts';
import { call, FakeBackend, text } from './helpers/fake-backend.ts';

const model = 'gemini-3-flash-preview';

/** A tool that counts its runs and keeps its signal. */
function counted() {
  const seen = { runs: 0, signal: undefined as AbortSignal | undefined };
  const t = tool({
    name: 'count',
    description: '',
    parameters: z.object({}),
    execute: (_args, { signal }) => {
      seen.runs++;
      seen.signal = signal;
      return 'counted';
    },
  });
  return { t, seen };
}

describe('a handle’s listeners', () => {
  it('a listener that throws ends the run with its error and stops the loop where it is', async () => {
    const { t, seen } = counted();
    const backend = new FakeBackend([[call('count', {}, 'c1')], [text('unreachable')]]);
    const run = new Runner({ backend, model, tools: [t] }).start('go');
    const boom = new Error('listener failed');
    const heard: string[] = [];
    run.on('tool_call', () => {
      throw boom;
    });
    run.on('run_error', (e) => heard.push(`run_error ${String(e.error)}`));
    run.on('run_finish', () => heard.push('run_finish'));
    const read = async () => {
      for await (const _ of run.events()) void _;
    };

    await expect(run.result).rejects.toBe(boom);
    await expect(read()).rejects.toBe(boom);
    expect(seen.runs).toBe(0); // the tool called in the step the listener threw in never ran
    expect(backend.calls).toBe(1);
    expect(heard).toEqual([]);
  });

  it('an agent run: a listener that throws ends it with its error, before the step’s tool runs', async () => {
    const { t, seen } = counted();
    const backend = new FakeBackend([[call('count', {}, 'c1')], [text('unreachable')]]);
    const agent = new Agent({ name: 'counter', model, tools: [t] });
    const run = new Runner({ backend }).start(agent, 'go');
    const boom = new Error('listener failed');
    run.on('tool_call', () => {
      throw boom;
    });
    await expect(run.result).rejects.toBe(boom);
    expect(seen.runs).toBe(0);
    expect(backend.calls).toBe(1);
  });

  it('a listener of the last event that throws still fails the run', async () => {
    const backend = new FakeBackend([[text('hi')]]);
    const run = new Runner({ backend, model }).start('x');
    const boom = new Error('at the end');
    run.on('run_finish', () => {
      throw boom;
    });
    await expect(run.result).rejects.toBe(boom);
  });

  it('a listener that throws while a tool runs aborts the tool with run_abandoned', async () => {
    let signal: AbortSignal | undefined;
    const slow = tool({
      name: 'slow',
      description: '',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        signal = ctx.signal;
        return new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        );
      },
    });
    const quick = tool({ name: 'quick', description: '', parameters: z.object({}), execute: () => 'ok' });
    const backend = new FakeBackend([[call('slow', {}, 's1'), call('quick', {}, 'q1')], [text('x')]]);
    const run = new Runner({ backend, model, tools: [slow, quick] }).start('go');
    const boom = new Error('no results wanted');
    run.on('tool_result', () => {
      throw boom;
    });
    await expect(run.result).rejects.toBe(boom);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ code: 'run_abandoned', cause: boom });
  });
});

describe('a generator reader', () => {
  it('paces the loop: a reader that stops at a tool call leaves the tool unrun', async () => {
    const { t, seen } = counted();
    const backend = new FakeBackend([[call('count', {}, 'c1')], [text('unreachable')]]);
    const events = new Runner({ backend, model, tools: [t] }).iterate('go');
    const types: string[] = [];
    for await (const e of events) {
      types.push(e.type);
      if (e.type === 'tool_call') break;
    }
    expect(types).toEqual(['run_start', 'step_start', 'status_change', 'tool_call']);
    expect(seen.runs).toBe(0);
    expect(backend.calls).toBe(1);
  });

  it('makes no model call before the reader asks past step_start', async () => {
    const backend = new FakeBackend([[text('hi')]]);
    const events = new Runner({ backend, model }).iterate('x');
    expect((await events.next()).value).toMatchObject({ type: 'run_start' });
    expect((await events.next()).value).toMatchObject({ type: 'step_start' });
    // The reader holds step_start: however long it waits, the loop waits with it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(backend.calls).toBe(0);
    expect((await events.next()).value).toMatchObject({ type: 'status_change' });
    expect(backend.calls).toBe(1);
    const rest: string[] = [];
    let next = await events.next();
    for (; !next.done; next = await events.next()) rest.push(next.value.type);
    expect(rest).toEqual(['step_finish', 'run_finish']);
    expect(next.value).toMatchObject({ text: 'hi', finishReason: 'completed' });
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('reads a stream no further than the reader: a reader that leaves closes it', async () => {
    let pulled = 0;
    let closed = false;
    const inner = new FakeBackend([[text('one two three four five six')]]);
    const backend = {
      ...inner,
      create: (r: CanonicalRequest) => inner.create(r),
      async stream(request: CanonicalRequest): Promise<BackendStream> {
        const stream = await inner.stream(request);
        return {
          async *[Symbol.asyncIterator]() {
            try {
              for await (const event of stream) {
                pulled++;
                yield event;
              }
            } finally {
              closed = true;
            }
          },
          finalInteraction: () => stream.finalInteraction(),
        };
      },
      follow: () => inner.follow(),
      get: () => inner.get(),
      cancel: () => inner.cancel(),
    };
    const events = new Runner({ backend, model, stream: true }).iterate('x');
    let atFirstDelta = 0;
    for await (const e of events) {
      if (e.type !== 'text_delta') continue;
      atFirstDelta = pulled;
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(pulled).toBe(atFirstDelta); // nothing read while the reader holds the delta
      break;
    }
    expect(atFirstDelta).toBeGreaterThan(0);
    expect(closed).toBe(true);
    expect(pulled).toBe(atFirstDelta);
  });

  it('composes with yield*, returning the result', async () => {
    const backend = new FakeBackend([[text('inner answer')]]);
    const runner = new Runner({ backend, model });
    async function* outer(): AsyncGenerator<RunEvent, string> {
      const result = yield* runner.iterate('x');
      return `outer saw: ${result.text}`;
    }
    const gen = outer();
    const types: string[] = [];
    let next = await gen.next();
    for (; !next.done; next = await gen.next()) types.push(next.value.type);
    expect(types).toEqual(['run_start', 'step_start', 'status_change', 'step_finish', 'run_finish']);
    expect(next.value).toBe('outer saw: inner answer');
  });

  it('queues next() calls made without waiting, as a generator does', async () => {
    const events = new Runner({ backend: new FakeBackend([[text('hi')]]), model }).iterate('x');
    const all = await Promise.all(Array.from({ length: 7 }, () => events.next()));
    expect(all.map((r) => (r.done ? `done: ${r.value?.text}` : r.value.type))).toEqual([
      'run_start',
      'step_start',
      'status_change',
      'step_finish',
      'run_finish',
      'done: hi',
      'done: undefined',
    ]);
  });

  it('return() while a next() is pending lets that next() have its event, then unwinds', async () => {
    const events = new Runner({ backend: new FakeBackend([[text('hi')]]), model }).iterate('x');
    await events.next();
    const pending = events.next();
    const closed = events.return(undefined as never);
    expect((await pending).value).toMatchObject({ type: 'step_start' });
    expect(await closed).toEqual({ done: true, value: undefined });
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('throw() at an event unwinds the run and rejects with the error', async () => {
    const { t, seen } = counted();
    const backend = new FakeBackend([[call('count', {}, 'c1')], [text('x')]]);
    const events = new Runner({ backend, model, tools: [t] }).iterate('go');
    for (let next = await events.next(); !next.done; next = await events.next()) {
      if (next.value.type === 'tool_call') break;
    }
    const stop = new Error('stop reading');
    await expect(events.throw(stop)).rejects.toBe(stop);
    expect(seen.runs).toBe(0);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });
});
