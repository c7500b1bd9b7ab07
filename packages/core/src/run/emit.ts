/**
 * How a run hands out its events. The loop calls `emit(event)` for each, synchronously, where it happens;
 * two kinds of reader take them:
 *
 * - a run's handle (`runner.start()`, `runner.run()`) hears each event at once, and `emit` returns nothing:
 *   the loop goes on without a promise or a microtask hop per event;
 * - a generator reader (`runner.iterate()`, {@link pullEvents}) reads at its own pace, and `emit` returns a
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
 * A pushed run read as an async generator of its events, returning its result. The run starts on the first
 * `next()` and waits at each event until the reader asks for the next one. Closing the generator early
 * (`return()`, `throw()`, `break`) calls `abandoned` and unwinds the run where it waits; it settles once the
 * run's `finally` blocks ran.
 *
 * @example
 * const events = pullEvents((emit) => loop.run(emit), () => stop.abort());
 * for (let next = await events.next(); !next.done; next = await events.next()) console.log(next.value.type);
 */
export function pullEvents<TResult>(
  drive: DriveRun<TResult>,
  abandoned?: () => void,
): AsyncGenerator<RunEvent, TResult, undefined> {
  return new PulledRun(drive, abandoned);
}

interface Settle<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Step<TResult> = IteratorResult<RunEvent, TResult>;

/**
 * The generator of {@link pullEvents}, written out: a generator function in between would cost the run
 * several promises per event. Its states: not started; running (the reader waits in `next()`); handed (an
 * event is with the reader, the run waits at `emit`); ended.
 */
class PulledRun<TResult> implements AsyncGenerator<RunEvent, TResult, undefined> {
  readonly #drive: DriveRun<TResult>;
  readonly #abandoned: (() => void) | undefined;
  #state: 'not_started' | 'running' | 'handed' | 'ended' = 'not_started';
  #result: Promise<TResult> | undefined;
  /** The reader's `next()`, waiting for an event or the end. */
  #request: Settle<Step<TResult>> | undefined;
  #requested: Promise<Step<TResult>> | undefined;
  /** The run, waiting at `emit` for the reader to come back. */
  #gate: Settle<void> | undefined;
  /** An event emitted before the reader waited for it (the run's first, emitted as it starts). */
  #early: RunEvent | undefined;
  /** How the run ended, for a reader that was not waiting then. */
  #outcome: { step: Step<TResult> } | { error: unknown } | undefined;

  constructor(drive: DriveRun<TResult>, abandoned: (() => void) | undefined) {
    this.#drive = drive;
    this.#abandoned = abandoned;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Step<TResult>> {
    if (this.#requested)
      return this.#requested.then(
        () => this.next(),
        () => this.next(),
      );
    switch (this.#state) {
      case 'ended': {
        const outcome = this.#outcome;
        this.#outcome = undefined;
        if (outcome && 'error' in outcome) return Promise.reject(outcome.error);
        return Promise.resolve(outcome?.step ?? { done: true, value: undefined as TResult });
      }
      case 'not_started':
        this.#start();
        if (this.#early) {
          const event = this.#early;
          this.#early = undefined;
          return Promise.resolve({ done: false, value: event });
        }
        return this.#wait();
      case 'handed': {
        const gate = this.#gate;
        this.#gate = undefined;
        this.#state = 'running';
        const waiting = this.#wait();
        gate?.resolve();
        return waiting;
      }
      case 'running':
        return this.#wait();
    }
  }

  async return(value: TResult | PromiseLike<TResult>): Promise<Step<TResult>> {
    await this.#close();
    return { done: true, value: await value };
  }

  async throw(error: unknown): Promise<Step<TResult>> {
    await this.#close();
    throw error;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#close();
  }

  readonly #emit: EmitEvent = (event) => {
    if (this.#state === 'ended') return undefined; // the reader left: nobody hears this one
    this.#state = 'handed';
    const request = this.#request;
    if (request) {
      this.#request = undefined;
      this.#requested = undefined;
      request.resolve({ done: false, value: event });
    } else {
      this.#early = event;
    }
    return new Promise<void>((resolve, reject) => {
      this.#gate = { resolve, reject };
    });
  };

  #start(): void {
    this.#state = 'running';
    const result = this.#drive(this.#emit);
    this.#result = result;
    result.then(
      (value) => this.#end({ done: true, value }),
      (error: unknown) => this.#end(undefined, error),
    );
  }

  #wait(): Promise<Step<TResult>> {
    this.#requested = new Promise<Step<TResult>>((resolve, reject) => {
      this.#request = { resolve, reject };
    });
    return this.#requested;
  }

  #end(step: Step<TResult> | undefined, error?: unknown): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    const request = this.#request;
    this.#request = undefined;
    this.#requested = undefined;
    if (!request) {
      this.#outcome = step ? { step } : { error };
      return;
    }
    if (step) request.resolve(step);
    else request.reject(error);
  }

  /** The reader leaves: a run waiting at `emit` is abandoned and unwound; settles when it has. */
  async #close(): Promise<void> {
    if (this.#requested) await this.#requested.catch(() => {});
    if (this.#state === 'not_started') this.#state = 'ended';
    if (this.#state !== 'handed') return;
    this.#state = 'ended';
    const gate = this.#gate;
    this.#gate = undefined;
    this.#abandoned?.();
    gate?.reject(new ReaderGone());
    await this.#result?.catch(() => {});
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
