/**
 * How a run hands out its events. The loop calls `emit(event)` for each, synchronously, where it happens;
 * two kinds of reader take them:
 *
 * - a run's handle (`runner.start()`, `runner.run()`) hears each event at once, and `emit` returns nothing:
 *   the loop goes on without a promise or a microtask hop per event;
 * - a generator reader (`runner.iterate()`, pull-events.ts) reads at its own pace, and `emit` returns a
 *   promise that settles when the reader asks for the next event: the loop waits there, as a generator's body
 *   waits at `yield`, so nothing (no tool, no model call) runs ahead of the reader.
 *
 * A reader that leaves early (a generator closed before the run ended, a handle whose listener threw) makes
 * the loop unwind from the `emit` it waits at (or is in) with {@link ReaderGone}: its `finally` blocks run,
 * and no `run_error` is sent to a reader that is no longer there.
 */
import { InterplayError } from '../errors.ts';
import type { RunEvent } from './events.ts';

/** Hands an event to the run's reader; a promise when the loop must wait for the reader before going on. */
export type EmitEvent = (event: RunEvent) => Promise<void> | undefined;

/** A run driven by pushes: it emits its events and resolves with its result. */
export type DriveRun<TResult> = (emit: EmitEvent) => Promise<TResult>;

/** Thrown into the loop where it emits once its reader has left; it ends the run without a `run_error`. */
export class ReaderGone extends InterplayError {
  constructor() {
    super('run_abandoned', 'The run’s events were no longer read.');
  }
}

/**
 * Drive a run given as an async generator into `emit` (an agent run under a handle). When `emit` throws
 * (the handle's listener threw), the generator is closed where it waits, and the error is thrown on.
 */
export async function pushEvents<TResult>(
  events: AsyncGenerator<RunEvent, TResult, undefined>,
  emit: EmitEvent,
): Promise<TResult> {
  for (;;) {
    const next = await events.next();
    if (next.done) return next.value;
    try {
      const paced = emit(next.value);
      if (paced) await paced;
    } catch (error) {
      await events.return(undefined as never).catch(() => {});
      throw error;
    }
  }
}
