/**
 * A pushed run (emit.ts) read as an async generator of its events, at the reader's pace: the loop waits at
 * each `emit` until the reader asks for the next event, as a generator body waits at `yield`.
 */
import { type DriveRun, type EmitEvent, ReaderGone } from './emit.ts';
import type { RunEvent } from './events.ts';

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
