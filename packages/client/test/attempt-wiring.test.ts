/**
 * The shared wiring behind every attempt: deadlines on one timer (deadlines.ts) and one abort listener per
 * signal (abort-watch.ts). What an attempt sees is tested over HTTP in errors.test.ts (timeouts, aborts);
 * here, that the sharing holds: one timer for many deadlines, one listener for many attempts.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { unwatchAbort, watchAbort } from '../src/abort-watch.ts';
import { Deadlines, type TimerApi } from '../src/deadlines.ts';

/** A clock and timer the test moves by hand. */
function manualTimers() {
  let now = 0;
  let armed: { at: number; callback: () => void } | undefined;
  let sets = 0;
  const api: TimerApi = {
    now: () => now,
    set: (callback, ms) => {
      sets++;
      armed = { at: now + ms, callback };
      return armed;
    },
    clear: (handle) => {
      if (armed === handle) armed = undefined;
    },
  };
  return {
    api,
    get sets() {
      return sets;
    },
    get armedAt() {
      return armed?.at;
    },
    /** Move the clock; the armed timer fires if it is due (and may arm the next). */
    advance(ms: number) {
      now += ms;
      while (armed && armed.at <= now) {
        const { callback } = armed;
        armed = undefined;
        callback();
      }
    },
  };
}

describe('Deadlines', () => {
  it('keeps a thousand deadlines on one timer, armed once', () => {
    const timers = manualTimers();
    const deadlines = new Deadlines(timers.api);
    for (let i = 0; i < 1_000; i++) deadlines.delete(deadlines.add(60_000, () => {}));
    expect(timers.sets).toBe(1);
    expect(deadlines.size).toBe(0);
  });

  it('fires only what is due, in time, and re-arms for the next', () => {
    const timers = manualTimers();
    const deadlines = new Deadlines(timers.api);
    const fired: string[] = [];
    const a = deadlines.add(100, () => fired.push('a'));
    deadlines.add(300, () => fired.push('b'));
    const c = deadlines.add(200, () => fired.push('c'));
    deadlines.delete(a);
    timers.advance(150);
    expect(fired).toEqual([]); // a was dropped; the timer found nothing due and re-armed for c
    expect(timers.armedAt).toBe(200);
    deadlines.move(c, 200); // data arrived at 150: c is now due at 350
    timers.advance(100);
    expect(fired).toEqual([]);
    timers.advance(50);
    expect(fired).toEqual(['b']);
    timers.advance(50);
    expect(fired).toEqual(['b', 'c']);
    expect(timers.armedAt).toBeUndefined();
    expect(deadlines.size).toBe(0);
  });

  it('re-arms at once for a deadline earlier than the armed one', () => {
    const timers = manualTimers();
    const deadlines = new Deadlines(timers.api);
    const fired: number[] = [];
    deadlines.add(60_000, () => fired.push(60_000));
    deadlines.add(10, () => fired.push(10));
    expect(timers.armedAt).toBe(10);
    timers.advance(10);
    expect(fired).toEqual([10]);
    expect(timers.armedAt).toBe(60_000);
  });

  it('fires on real timers', async () => {
    const deadlines = new Deadlines();
    const started = performance.now();
    const elapsed = await new Promise<number>((resolve) => {
      deadlines.add(30, () => resolve(performance.now() - started));
    });
    expect(elapsed).toBeGreaterThanOrEqual(29);
  });
});

describe('watchAbort', () => {
  it('puts one listener on a signal however many attempts watch it', () => {
    const controller = new AbortController();
    const { signal } = controller;
    for (let i = 0; i < 100; i++) {
      const callback = () => {};
      watchAbort(signal, callback);
      unwatchAbort(signal, callback);
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
  });

  it('calls the watching callbacks with the reason, and only those', () => {
    const controller = new AbortController();
    const seen: unknown[] = [];
    const gone = () => seen.push('unwatched');
    watchAbort(controller.signal, (reason) => seen.push(reason));
    watchAbort(controller.signal, gone);
    unwatchAbort(controller.signal, gone);
    controller.abort('stop');
    expect(seen).toEqual(['stop']);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
