/**
 * A started run: its own event emitter (eventemitter3: `run.on(type, listener)`), its events from the start
 * for any number of readers (`run.events()`), its result, and a way to abort it. Each run has its own, so
 * concurrent runs of one `Runner` never see each other's events.
 */
import { EventEmitter } from 'eventemitter3';
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

  /**
   * @internal use `runner.start()`. Drains `events` (the loop), emitting each event and keeping it for
   * `events()`. Listeners added right after `start()` returns hear the first event: it is emitted later.
   */
  constructor(state: RunState, events: AsyncGenerator<RunEvent, TResult>, abort: AbortController) {
    super();
    this.runId = state.runId;
    this.state = state;
    this.#abort = abort;
    this.result = this.#drain(events);
    // Reading only the events must not leave an unhandled rejection behind.
    this.result.catch(() => {});
  }

  async #drain(events: AsyncGenerator<RunEvent, TResult>): Promise<TResult> {
    let suspended = false;
    try {
      for (;;) {
        suspended = false;
        const next = await events.next();
        if (next.done) {
          this.#log.close();
          return next.value;
        }
        suspended = true;
        this.#log.push(next.value);
        (this.emit as (type: string, event: RunEvent) => boolean)(next.value.type, next.value);
      }
    } catch (error) {
      // A listener threw: the run ends with its error, and the loop is stopped where it waits.
      if (suspended) await events.return(undefined as never).catch(() => {});
      this.#log.close({ error });
      throw error;
    }
  }

  /**
   * Every event of the run, from its start, as an async iterator; it ends with the run (and throws the run's
   * error if it failed).
   *
   * @example
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
