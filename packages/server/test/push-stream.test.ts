/**
 * The stream providers push their events into: read with `for await`, or delivered to a callback from inside
 * the producer's `push` (how the engine takes a provider's events, with no promise per event); the producer's
 * end and failure, the reader's stop and failure, and the abort, each reaching the other side once.
 */
import { describe, expect, it } from 'vitest';
import { PushStream, producedBy } from '../src/providers/shared/push-stream.ts';

describe('PushStream', () => {
  it('delivers each event inside push, after those queued before the reader came', async () => {
    const stream = new PushStream<number>(new AbortController().signal);
    stream.push(1);
    const taken: number[] = [];
    const delivered = stream.deliverTo((n) => taken.push(n));
    expect(taken).toEqual([1]);
    stream.push(2);
    // Taken before push returned: nothing awaited between the producer and the reader.
    expect(taken).toEqual([1, 2]);
    stream.end();
    await delivered;
    stream.push(3);
    expect(taken).toEqual([1, 2]);
  });

  it('a reader that throws: deliverTo rejects with it, and the producer is told to stop', async () => {
    const stream = new PushStream<number>(new AbortController().signal);
    let stopped = 0;
    stream.onStop(() => stopped++);
    const delivered = stream.deliverTo(() => {
      throw new Error('sink broke');
    });
    // The producer's push does not throw: the failure is the reader's.
    expect(() => stream.push(1)).not.toThrow();
    await expect(delivered).rejects.toThrow('sink broke');
    expect(stopped).toBe(1);
    expect(stream.open).toBe(false);
  });

  it("the producer's failure reaches the reader after the events before it; the producer is not told to stop", async () => {
    const stream = new PushStream<string>(new AbortController().signal);
    let stopped = 0;
    stream.onStop(() => stopped++);
    stream.push('a');
    stream.fail(new Error('upstream broke'));
    expect(await stream.next()).toEqual({ value: 'a', done: false });
    await expect(stream.next()).rejects.toThrow('upstream broke');
    expect(stopped).toBe(0);
  });

  it('an abort fails a waiting reader with its reason and stops the producer', async () => {
    const abort = new AbortController();
    const stream = new PushStream<number>(abort.signal);
    let stopped = 0;
    stream.onStop(() => stopped++);
    const delivered = stream.deliverTo(() => {});
    abort.abort(new Error('cancelled by the client'));
    await expect(delivered).rejects.toThrow('cancelled by the client');
    expect(stopped).toBe(1);
  });

  it('a stream made after the abort is failed from the start', async () => {
    const abort = new AbortController();
    abort.abort(new Error('gone'));
    const stream = new PushStream<number>(abort.signal);
    expect(stream.open).toBe(false);
    await expect(stream.next()).rejects.toThrow('gone');
  });

  it('a for-await reader waits for each push, and its break stops the producer', async () => {
    const stream = new PushStream<number>(new AbortController().signal);
    let stopped = 0;
    stream.onStop(() => stopped++);
    const pending = stream.next();
    stream.push(7);
    expect(await pending).toEqual({ value: 7, done: false });
    stream.push(8);
    for await (const n of stream) {
      expect(n).toBe(8);
      break;
    }
    expect(stopped).toBe(1);
    stream.push(9);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('producedBy: ends when the producer resolves, fails with what it rejects with', async () => {
    const signal = new AbortController().signal;
    const ok = producedBy<number>(signal, async (stream) => {
      stream.push(1);
      await Promise.resolve();
      stream.push(2);
    });
    const taken: number[] = [];
    await ok.deliverTo((n) => taken.push(n));
    expect(taken).toEqual([1, 2]);
    expect(ok.open).toBe(false);

    const broken = producedBy<number>(signal, async (stream) => {
      stream.push(1);
      throw new Error('upstream broke');
    });
    const seen: number[] = [];
    await expect(broken.deliverTo((n) => seen.push(n))).rejects.toThrow('upstream broke');
    expect(seen).toEqual([1]);
  });
});
