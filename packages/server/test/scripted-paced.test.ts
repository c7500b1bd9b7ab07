/**
 * The scripted model's pacing (`delay_ms`): a pause after every event but the usage, and an abort that ends a
 * pause at once. Fake timers: the test says when a pause is over.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderEvent } from '../src/providers/provider.ts';
import { PacedEvents } from '../src/providers/scripted/paced-events.ts';

const events: ProviderEvent[] = [
  { type: 'text', text: 'a' },
  { type: 'text', text: 'b' },
  { type: 'usage', usage: { total_tokens: 2 } },
];

/** Whether `promise` has settled once the microtasks queued now have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('paced scripted events', () => {
  it('pause after every event but the usage', async () => {
    const paced = new PacedEvents(events, 50, new AbortController().signal);
    expect(await paced.next()).toEqual({ value: events[0], done: false });
    const second = paced.next();
    expect(await settled(second)).toBe(false);
    await vi.advanceTimersByTimeAsync(49);
    expect(await settled(second)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await second).toEqual({ value: events[1], done: false });
    const usage = paced.next();
    await vi.advanceTimersByTimeAsync(50);
    expect(await usage).toEqual({ value: events[2], done: false });
    // No pause after the usage: the end comes at once.
    expect(await paced.next()).toEqual({ value: undefined, done: true });
  });

  it('end a pause at once when aborted', async () => {
    const abort = new AbortController();
    const paced = new PacedEvents(events, 60_000, abort.signal);
    await paced.next();
    const second = paced.next();
    expect(await settled(second)).toBe(false);
    abort.abort();
    await expect(second).rejects.toThrow(/abort/i);
  });

  it('stop at once when the reader breaks off', async () => {
    const paced = new PacedEvents(events, 50, new AbortController().signal);
    const read: ProviderEvent[] = [];
    for await (const e of paced) {
      read.push(e);
      break;
    }
    expect(read).toEqual([events[0]]);
    expect(await paced.next()).toEqual({ value: undefined, done: true });
  });
});
