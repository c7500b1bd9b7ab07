/**
 * A started run: its own event emitter (eventemitter3: `run.on(type, listener)`), its events from the start
 * for any number of readers (`run.events()`), its result, and a way to abort it. Each run has its own, so
 * concurrent runs of one `Runner` never see each other's events.
 */
import { EventEmitter } from 'eventemitter3';
import { InterplayError } from '../errors.ts';
import { type DriveRun, ReaderGone } from './emit.ts';
import { EventLog } from './event-log.ts';
import type { RunEvent, RunEventMap } from './events.ts';
import type { RunResult } from './result.ts';
import type { RunState } from './state.ts';

export class RunHandle<
  TOutput = undefined,
  TResult extends RunResult<TOutput> = RunResult<TOutput>,
> extends EventEmitter<RunEventMap> {
  readonly runId: string;
  /** The live state (changed as the run goes; serialize it after the run settles). */
  readonly state: RunState;
  /** Settles when the run ends. */
  readonly result: Promise<TResult>;
  readonly #log = new EventLog<RunEvent>();
  readonly #abort: AbortController;
  /** What a listener threw: the run ends with it. */
  #listenerFailure: { error: unknown } | undefined;

  /**
   * @internal use `runner.start()`. Runs `drive` (the loop), which hands each event to `#hear` as it happens.
   * Listeners added right after `start()` returns hear the first event: the run starts a microtask later.
   */
  constructor(state: RunState, drive: DriveRun<TResult>, abort: AbortController) {
    super();
    this.runId = state.runId;
    this.state = state;
    this.#abort = abort;
    this.result = this.#settle(drive);
    // Reading only the events must not leave an unhandled rejection behind.
    this.result.catch(() => {});
  }

  async #settle(drive: DriveRun<TResult>): Promise<TResult> {
    await undefined; // `start()` returns first, so its caller's listeners hear `run_start`
    let result: TResult;
    try {
      result = await drive(this.#hear);
    } catch (error) {
      const failure = this.#listenerFailure?.error ?? error;
      this.#log.close({ error: failure });
      throw failure;
    }
    // A listener's error wins even if the run got to its end (a listener of `run_finish` threw).
    if (this.#listenerFailure) {
      this.#log.close(this.#listenerFailure);
      throw this.#listenerFailure.error;
    }
    this.#log.close();
    return result;
  }

  /**
   * Each event of the run, as it happens: kept for `events()`, then emitted. A listener that throws ends the
   * run with its error: the run is aborted (its tools see `run_abandoned`) and unwinds from here.
   */
  readonly #hear = (event: RunEvent): undefined => {
    if (this.#listenerFailure) throw new ReaderGone();
    this.#log.push(event);
    try {
      (this.emit as (type: string, event: RunEvent) => boolean)(event.type, event);
    } catch (error) {
      this.#listenerFailure = { error };
      const why = `A listener of the run’s ${event.type} event threw; the run ends with its error.`;
      this.#abort.abort(new InterplayError('run_abandoned', why, { cause: error }));
      throw new ReaderGone();
    }
    return undefined;
  };

  /**
   * Every event of the run, from its start, as an async iterator; it ends with the run (and throws the run's
   * error if it failed).
   *
   * @example
   * const run = runner.start('What is the weather in Paris?');
   * for await (const e of run.events()) if (e.type === 'text_delta') process.stdout.write(e.delta);
   */
  events(): AsyncIterable<RunEvent> {
    return { [Symbol.asyncIterator]: () => this.#log.read() };
  }

  /** Abort the run: running tools see `ctx.signal` abort; the result rejects with `RunAbortedError`. */
  abort(reason?: unknown): void {
    this.#abort.abort(reason);
  }
}
