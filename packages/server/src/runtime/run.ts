/**
 * One interaction's turn, from start to its final state: runs the engine, wraps its step events with
 * `interaction.created` / `status_update` / `error` / `interaction.completed`, and keeps them in the
 * interaction's log (interaction-log.ts), which writes a stored interaction — row, event batches, end. Cancel,
 * the turn deadline, shutdown and engine failures all end a run the same way (`#finish`), exactly once.
 */
import {
  type ErrorBody,
  type InteractionStatus,
  type Item,
  StreamAccumulator,
  type Usage,
} from '@interplay/protocol';
import type { Logger } from 'pino';
import type { Engine, EngineEvent, TurnOutcome } from '../engine/contract.ts';
import type { ResumePoint } from '../replicas/resume-point.ts';
import type { InteractionPatch, InteractionRecord, Store, StoredEvent } from '../store/store.ts';
import type { BackgroundSlots } from './background-slots.ts';
import { eventFeed } from './event-feed.ts';
import { isoSeconds } from './ids.ts';
import { InteractionLog } from './interaction-log.ts';
import { endEvents, startEvents } from './lifecycle-events.ts';

export interface RunOptions {
  /** Where the interaction is stored; `undefined` for `store:false` (kept in memory only). */
  store: Store | undefined;
  engine: Engine;
  logger: Logger;
  /** How long a finished interaction is kept. */
  retentionMs: number;
  /** The longest the turn may run before it is failed with `deadline_exceeded`. */
  turnTimeoutMs: number;
  /** The items of the interactions before this one in its chain (read only if the engine asks). */
  history: () => Promise<readonly Item[]>;
  /** The stored interactions whose items `history` returns, oldest first, when known (`TurnInput.historyIds`). */
  historyIds?: readonly string[] | undefined;
  /**
   * A run taken over from another replica (replicas/coordinator.ts): its stored log and the steps it
   * completed. The run goes on from there instead of starting; its log continues after `lastSeq`.
   */
  resume?: ResumePoint;
  /** Where a background run waits for its slot (`queued`) before it runs; absent: it runs at once. */
  slots?: BackgroundSlots | undefined;
  /** Told of the run's final record once it is stored (the webhooks' hook). */
  onEnded?: ((record: InteractionRecord) => void) | undefined;
}

/** How a run ended: its final record, and whether that final state is in the store. */
export interface RunEnd {
  record: InteractionRecord;
  stored: boolean;
}

/**
 * Recorded when the final state of a run could not be written: the client gets this error, never an answer
 * whose interaction is not stored. (If even this cannot be written, the row stays `in_progress` until the
 * next start fails it, runtime/recovery.ts.)
 */
export const NOT_STORED_ERROR: ErrorBody = {
  code: 'api_error',
  message: 'The interaction could not be stored, so its result was not kept.',
};

/**
 * What this replica answers for a run another replica took over (this one stalled past its lease): the other
 * replica ends it in the store; here it only stops.
 */
export const TAKEN_OVER_ERROR: ErrorBody = {
  code: 'service_unavailable',
  message:
    'This server replica stopped answering for the interaction long enough that another replica took it over.',
};

export class Run {
  readonly id: string;
  /** The interaction as it was created: `in_progress`, no output yet (what its row is written with). */
  readonly row: InteractionRecord;
  readonly log: InteractionLog;
  /** Resolves once the run has ended and its final state is written (or could not be); never rejects. */
  readonly done: Promise<RunEnd>;
  readonly #record: InteractionRecord;
  readonly #o: RunOptions;
  readonly #controller = new AbortController();
  /**
   * The output so far, for snapshots and for ending a run early: the engine's own (`TurnSink.shareOutput`)
   * when it shares it, else rebuilt from the events.
   */
  readonly #tracker: StreamAccumulator;
  #engineOutput: readonly Item[] | undefined;
  readonly #onSettled: () => void;
  #resolve!: (end: RunEnd) => void;
  #finished = false;
  /** Another replica runs the interaction now: this run writes nothing more. */
  #lost = false;
  #deadline: NodeJS.Timeout | undefined;
  /** Gives back its background slot (when it holds one). */
  #release: (() => void) | undefined;

  /** `onSettled` runs once the run is over, just before `done` resolves. */
  constructor(record: InteractionRecord, options: RunOptions, onSettled: () => void) {
    this.id = record.id;
    this.row = { ...record };
    this.#record = record;
    this.#o = options;
    this.#onSettled = onSettled;
    this.#tracker = options.resume?.tracker ?? new StreamAccumulator();
    const onLost = () => this.#loseToAnotherReplica();
    this.log = new InteractionLog(
      record.id,
      options.logger,
      options.store === undefined
        ? undefined
        : options.resume
          ? { store: options.store, after: options.resume.lastSeq, onLost }
          : { store: options.store, row: this.row, onLost },
    );
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get finished(): boolean {
    return this.#finished;
  }

  get background(): boolean {
    return this.#record.background;
  }

  /** The record as it stands: status and the output produced so far. */
  snapshot(): InteractionRecord {
    if (this.#finished) return this.#record;
    return { ...this.#record, output: this.#items() };
  }

  /**
   * Resolves `true` once the interaction's row is in the store (at once for `store:false`); `false` when it
   * could not be written, and the run then fails with {@link NOT_STORED_ERROR}.
   */
  get created(): Promise<boolean> {
    return this.log.created;
  }

  /** Its events after `afterSeq`: what is stored, then what is still in memory, then live until the end. */
  events(afterSeq: number, signal?: AbortSignal): AsyncIterableIterator<StoredEvent> {
    return eventFeed({
      id: this.id,
      store: this.#o.store,
      log: this.log,
      afterSeq,
      ...(signal ? { signal } : {}),
    });
  }

  begin(): void {
    // A run taken over goes on with the log it has; a new one starts it.
    if (!this.#o.resume) for (const event of startEvents(this.#record)) this.log.append(event);
    void this.log.created.then((created) => {
      if (!created) this.fail(NOT_STORED_ERROR);
    });
    const { slots } = this.#o;
    if (!slots) {
      this.#start();
      return;
    }
    slots.acquire(this.#controller.signal).then(
      (release) => {
        if (this.#finished) return release();
        this.#release = release;
        this.#start();
      },
      () => {}, // cancelled or failed while waiting: #finish ended it already
    );
  }

  /** Its slot came (or it needs none): from now on it runs. */
  #start(): void {
    if (this.#record.status === 'queued') {
      // Queued here, or (several replicas) in the store until this replica claimed it. A SQLite row keeps
      // `queued` until the run's end is written (one persistence path: row, events, end); readers see
      // `in_progress` from the run and from its log.
      this.#record.status = 'in_progress';
      this.log.append({
        event_type: 'interaction.status_update',
        interaction_id: this.id,
        status: 'in_progress',
      });
    }
    this.#run();
  }

  /** The turn itself: the deadline starts now (time spent queued does not count). */
  #run(): void {
    const limit = this.#o.turnTimeoutMs;
    this.#deadline = setTimeout(() => {
      void this.fail({
        code: 'deadline_exceeded',
        message: `The interaction ran longer than the server's limit of ${Math.round(limit / 1000)} s.`,
      });
    }, limit);
    this.#deadline.unref();
    void this.#execute();
  }

  /** Abort the engine and end the run `cancelled` with what it produced so far. */
  cancel(): Promise<RunEnd> {
    if (!this.#finished) {
      this.#controller.abort(new DOMException('The interaction was cancelled.', 'AbortError'));
      this.#finish('cancelled', this.#itemsAtEnd(), this.#tracker.interaction?.usage);
    }
    return this.done;
  }

  /** Abort the engine and end the run `failed` with `error` (server shutdown, turn deadline). */
  fail(error: ErrorBody): Promise<RunEnd> {
    if (!this.#finished) {
      this.#controller.abort(new DOMException(error.message, 'AbortError'));
      this.#finish('failed', this.#itemsAtEnd(), this.#tracker.interaction?.usage, error);
    }
    return this.done;
  }

  /** The interaction was deleted: the run goes on (delete does not cancel) but nothing more is written. */
  detach(): void {
    this.log.detach();
  }

  /**
   * Stop the run here without writing anything: another replica runs (or will run) the interaction —
   * it took it over, or this replica hands it over at shutdown. Its readers here end without a final event
   * (they resume elsewhere with `last_event_id`); `done` resolves with `error`, not stored.
   */
  abandon(error: ErrorBody): Promise<RunEnd> {
    if (this.#finished) return this.done; // its end is being written already
    this.#lost = true;
    this.#finished = true;
    this.log.abandon();
    this.#controller.abort(new DOMException(error.message, 'AbortError'));
    clearTimeout(this.#deadline);
    this.#record.status = 'failed';
    this.#record.error = error;
    this.#onSettled();
    this.#resolve({ record: this.#record, stored: false });
    return this.done;
  }

  /** A write was refused: another replica took the interaction over (this one stalled past its lease). */
  #loseToAnotherReplica(): void {
    if (this.#finished) {
      // Its end was being written: #end reports it as not stored.
      this.#lost = true;
      return;
    }
    void this.abandon(TAKEN_OVER_ERROR);
  }

  async #execute(): Promise<void> {
    const { engine, logger } = this.#o;
    const r = this.#record;
    let outcome: TurnOutcome;
    try {
      outcome = await engine.runTurn(
        {
          interactionId: r.id,
          owner: r.owner,
          request: r.request,
          history: this.#o.history,
          historyIds: this.#o.historyIds,
          signal: this.#controller.signal,
          // Always present (undefined on a new run): a spread after the keys would cost a runtime call.
          resume: this.#o.resume
            ? { steps: this.#o.resume.steps, interrupted: this.#o.resume.interrupted }
            : undefined,
        },
        {
          emit: (event) => this.#onEngineEvent(event),
          // A run taken over keeps the tracker its stored log built (it holds an interrupted step too).
          shareOutput: this.#o.resume
            ? undefined
            : (output) => {
                this.#engineOutput = output;
              },
        },
      );
    } catch (err) {
      if (this.#o.store) logger.error({ err, interaction: r.id }, 'engine failed');
      outcome = {
        status: 'failed',
        output: this.#items(),
        usage: this.#tracker.interaction?.usage ?? {},
        error: { code: 'api_error', message: 'The model backend failed unexpectedly.' },
      };
    }
    if (this.#finished) return;
    if (outcome.status === 'failed') this.#finish('failed', outcome.output, outcome.usage, outcome.error);
    else this.#finish(outcome.status, outcome.output, outcome.usage);
  }

  #onEngineEvent(event: EngineEvent): void {
    if (this.#finished) return;
    // The engine hands each event over (TurnSink): the log stamps its `event_id` on it and keeps it.
    if (!this.#engineOutput) this.#tracker.push(event);
    this.log.append(event);
  }

  /** The output so far, in step order: a new array of the live items. */
  #items(): Item[] {
    return this.#engineOutput ? [...this.#engineOutput] : this.#tracker.items;
  }

  /**
   * The output when a run is ended from outside (cancel, deadline, shutdown): a copy, since the engine's
   * output may still change until it sees the abort, and what is stored must be what was streamed.
   */
  #itemsAtEnd(): Item[] {
    return this.#engineOutput ? structuredClone([...this.#engineOutput]) : this.#tracker.items;
  }

  #finish(status: InteractionStatus, output: Item[], usage: Usage | undefined, error?: ErrorBody): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#deadline);
    this.#release?.();
    const r = this.#record;
    const now = Date.now();
    r.status = status;
    r.output = output;
    r.usage = withTotal(usage);
    r.updated = isoSeconds(now);
    if (error) r.error = error;
    r.expiresAt = now + this.#o.retentionMs;
    void this.#end();
  }

  /** Writes the end; when that fails, the run ends `failed` with {@link NOT_STORED_ERROR} instead. */
  async #end(): Promise<void> {
    const r = this.#record;
    const { logger } = this.#o;
    let stored = false;
    try {
      stored = await this.log.end(endEvents(r), finalState(r));
    } catch (err) {
      // (When the row itself could not be written, the log said so already, and nothing of it is stored.)
      if (await this.log.created) {
        logger.error({ err, interaction: r.id }, 'could not store the final state of the interaction');
      }
      r.status = 'failed';
      r.error = NOT_STORED_ERROR;
      try {
        stored = await this.log.end(endEvents(r), finalState(r));
      } catch (again) {
        logger.error(
          { err: again, interaction: r.id },
          'could not record the failure either: the interaction stays in_progress until the next start fails it',
        );
        this.log.detach();
        await this.log.end(endEvents(r), finalState(r));
      }
    }
    if (this.#lost) {
      // Another replica took it over while its end was written: that one ends it, not this one.
      r.status = 'failed';
      r.error = TAKEN_OVER_ERROR;
      stored = false;
    }
    if (stored) this.#o.onEnded?.(r);
    this.#onSettled();
    this.#resolve({ record: r, stored });
  }
}

function finalState(r: InteractionRecord): InteractionPatch {
  return {
    status: r.status,
    updated: r.updated,
    output: r.output,
    usage: r.usage,
    error: r.error,
    expiresAt: r.expiresAt,
  };
}

/** Usage with `total_tokens` filled in when a provider left it out. */
export function withTotal(usage: Usage | undefined): Usage | undefined {
  if (!usage || typeof usage.total_tokens === 'number') return usage;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    ...usage,
    total_tokens:
      n(usage.total_input_tokens) +
      n(usage.total_output_tokens) +
      n(usage.total_thought_tokens) +
      n(usage.total_tool_use_tokens),
  };
}
