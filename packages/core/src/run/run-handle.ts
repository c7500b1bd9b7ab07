/** A started run: its events (from the start, any number of readers), its result, and a way to abort it. */
import type { EventLog } from './event-log.ts';
import type { RunEvent } from './events.ts';
import type { RunResult } from './result.ts';
import type { RunState } from './state.ts';

export class RunHandle<TOutput = undefined> {
  readonly runId: string;
  /** The live state (mutated as the run goes; serialize it after the run settles). */
  readonly state: RunState;
  /** Settles when the run ends. */
  readonly result: Promise<RunResult<TOutput>>;
  readonly #log: EventLog<RunEvent>;
  readonly #abort: AbortController;

  constructor(
    state: RunState,
    log: EventLog<RunEvent>,
    abort: AbortController,
    result: Promise<RunResult<TOutput>>,
  ) {
    this.runId = state.runId;
    this.state = state;
    this.#log = log;
    this.#abort = abort;
    this.result = result;
    // Reading only the events must not leave an unhandled rejection behind.
    result.catch(() => {});
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
