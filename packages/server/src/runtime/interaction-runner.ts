/**
 * Runs interactions: wraps the engine's step events with `interaction.created` / `status_update` /
 * `interaction.completed` / `error`, keeps the event log, and persists the final state. Cancel, shutdown and
 * engine failures all end a run the same way (`#finish`), exactly once.
 *
 * How a stored run is written depends on who can see it while it runs:
 * - `stored`: its row is in the store before it starts (background and streaming creates: the client holds
 *   its id at once); events are written in small batches, the final state is an update.
 * - `deferred`: a foreground, non-streaming create. Nobody knows its id before the response, so nothing is
 *   written until it finishes: then one row with its final state and no event log (`eventLog: 'derived'`: a
 *   replay derives the events from that state, runtime/derived-log.ts). If it
 *   runs longer than `deferLimitMs`, or the server starts shutting down, it switches to `stored` (row inserted,
 *   events caught up), so a crash from then on finds it like any other unfinished run.
 *
 * Finished stored runs that continued a chain leave their full history in the {@link HistoryCache}, where the
 * next turn finds it instead of reading the whole chain from the store (a first turn is cached by its second).
 */
import {
  type CanonicalEvent,
  type ErrorBody,
  type InteractionStatus,
  InteractionsError,
  type Item,
  StreamAccumulator,
  type Usage,
} from '@interplay/protocol';
import type { Logger } from 'pino';
import type { Engine, EngineEvent, TurnOutcome } from '../engine/contract.ts';
import type { InteractionRecord, Store } from '../store/store.ts';
import { BackgroundSlots } from './background-slots.ts';
import {
  type CachedHistory,
  extendHistory,
  HistoryCache,
  type HistoryCacheOptions,
  NO_HISTORY,
  storedHistory,
} from './history-cache.ts';
import { isoSeconds } from './ids.ts';
import { endEvents, startEvents } from './lifecycle-events.ts';
import { InteractionLog } from './live-events.ts';

export interface RunnerOptions {
  store: Store;
  engine: Engine;
  logger: Logger;
  retentionMs: number;
  /** Limits of the in-memory history of recent chains; `false` turns it off. */
  historyCache?: HistoryCacheOptions | false;
  /** How long a `deferred` run may go unwritten before it is stored like any other. Default 1 000 ms. */
  deferLimitMs?: number;
  /**
   * The longest a turn may run before it is failed with `deadline_exceeded`, so a hung model or tool can
   * never leave an interaction `in_progress`. Default 60 minutes (Deep Research's documented maximum).
   */
  turnTimeoutMs?: number;
  /**
   * Called once a stored run's final state is written (`requires_action` or a final status): the webhooks'
   * hook (webhooks/webhook-service.ts `interactionEnded`). Must not throw.
   */
  onEnded?: (record: InteractionRecord) => void;
  /** Background runs executing at once; more wait `queued`. Default: no limit. */
  maxBackgroundRuns?: number;
}

/**
 * - `memory`: `store:false`, never written.
 * - `stored`: the row is already in the store; events and final state follow.
 * - `deferred`: not in the store yet; written whole when it finishes (see the module comment).
 */
export type Persistence = 'memory' | 'stored' | 'deferred';

interface RunContext extends RunnerOptions {
  history: HistoryCache | undefined;
  slots: BackgroundSlots | undefined;
  deferLimitMs: number;
  turnTimeoutMs: number;
}

export const DEFAULT_TURN_TIMEOUT_MS = 60 * 60_000;

/** Error recorded for runs still going when the server shuts down. */
export const SHUTDOWN_ERROR: ErrorBody = {
  code: 'service_unavailable',
  message: 'The server shut down before this interaction finished.',
};

export class Runner {
  readonly #o: RunContext;
  /** Stored runs by id (GET/cancel find them here); `store:false` runs are only in `#all`. */
  readonly #byId = new Map<string, Run>();
  readonly #all = new Set<Run>();
  #closing = false;

  constructor(options: RunnerOptions) {
    this.#o = {
      ...options,
      history: options.historyCache === false ? undefined : new HistoryCache(options.historyCache),
      slots:
        options.maxBackgroundRuns === undefined ? undefined : new BackgroundSlots(options.maxBackgroundRuns),
      deferLimitMs: options.deferLimitMs ?? 1_000,
      turnTimeoutMs: options.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS,
    };
  }

  /** The in-memory history of recent chains (`undefined` when turned off). */
  get historyCache(): HistoryCache | undefined {
    return this.#o.history;
  }

  /**
   * Whether `id` is known, from the chain cache alone, to be a finished stored interaction of `owner` that has
   * not expired (only such interactions are cached; deletes and expiry drop them). `false` means "ask the store".
   */
  cachedFinished(id: string, owner: string | null): boolean {
    return this.#o.history?.get(id, owner, Date.now()) !== undefined;
  }

  /** `id` was deleted from the store: drop what memory holds of it. Call after the delete. */
  forget(id: string): void {
    this.#o.history?.delete(id);
  }

  /** The live run of a stored interaction, if it is running in this process. */
  get(id: string): Run | undefined {
    return this.#byId.get(id);
  }

  get size(): number {
    return this.#all.size;
  }

  /** The status a new interaction starts with: `queued` when it is a background run that must wait for a slot. */
  initialStatus(background: boolean): 'queued' | 'in_progress' {
    return background && this.#o.slots?.full ? 'queued' : 'in_progress';
  }

  /** False once shutdown began: new interactions are refused (503) rather than started and then failed. */
  get accepting(): boolean {
    return !this.#closing;
  }

  /**
   * Start a run. For `stored`, `record` must already be in the store; for `deferred` it must not be (and
   * nobody may know its id before `done` resolves). The first events (`interaction.created`, `status_update`)
   * are in the log when this returns.
   */
  start(record: InteractionRecord, persistence: Persistence): Run {
    if (this.#closing) throw shuttingDown();
    const run = new Run(record, persistence, this.#o, () => {
      this.#all.delete(run);
      if (this.#byId.get(record.id) === run) this.#byId.delete(record.id);
    });
    this.#all.add(run);
    if (persistence !== 'memory') this.#byId.set(record.id, run);
    run.begin();
    return run;
  }

  /** Let runs finish for up to `graceMs`, then fail the rest with {@link SHUTDOWN_ERROR}; resolves when all are persisted. */
  async shutdown(graceMs: number): Promise<void> {
    this.#closing = true;
    // From now on a crash must find every run in the store.
    for (const run of this.#all) run.store();
    const pending = [...this.#all].map((r) => r.done);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const run of [...this.#all]) run.fail(SHUTDOWN_ERROR);
    await Promise.allSettled([...pending, ...[...this.#all].map((r) => r.done)]);
  }
}

export const shuttingDown = (): InteractionsError =>
  new InteractionsError(
    'service_unavailable',
    'The server is shutting down; retry against another instance.',
  );

export class Run {
  readonly id: string;
  readonly log: InteractionLog;
  /** Resolves with the final record once it is persisted (never rejects). */
  readonly done: Promise<InteractionRecord>;
  readonly #record: InteractionRecord;
  #persistence: Persistence;
  readonly #o: RunContext;
  readonly #controller = new AbortController();
  /**
   * The output so far, rebuilt from the events: for snapshots and for ending a run early. Only a `stored` run
   * keeps it up to date from the start (its log drops what it wrote; readers may ask for a snapshot at any
   * time). A `deferred` or `memory` run — nobody can ask — builds it only if it needs one, from the events its
   * log still holds (all of them), so a run that just finishes never clones its output a second time.
   */
  #tracker: StreamAccumulator | undefined;
  /**
   * A `deferred` run's engine events, as the engine made them: nobody can watch it, so they go into the log
   * (with the lifecycle events around them) only if it switches to `stored`; a run that just finishes never
   * builds them. `undefined` for other runs, whose events go straight into the log.
   */
  #unwatched: EngineEvent[] | undefined;
  readonly #onSettled: () => void;
  #resolve!: (record: InteractionRecord) => void;
  #finished = false;
  #deleted = false;
  #deferTimer: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  /** The history this turn continued (what its own items extend in the cache); unknown until loaded. */
  #parent: CachedHistory | undefined;
  /** Gives back its background slot (when it holds one). */
  #release: (() => void) | undefined;

  constructor(record: InteractionRecord, persistence: Persistence, o: RunContext, onSettled: () => void) {
    this.id = record.id;
    this.#record = record;
    this.#persistence = persistence;
    this.#o = o;
    this.#onSettled = onSettled;
    this.log = new InteractionLog(record.id, persistence === 'memory' ? undefined : o.store, o.logger, {
      held: persistence === 'deferred',
    });
    if (persistence === 'stored') this.#tracker = new StreamAccumulator();
    if (persistence === 'deferred') this.#unwatched = [];
    if (record.previousId === undefined) this.#parent = NO_HISTORY;
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
    return { ...this.#record, output: this.#tracked().items };
  }

  begin(): void {
    if (this.#unwatched === undefined) for (const event of startEvents(this.#record)) this.log.append(event);
    else {
      this.#deferTimer = setTimeout(() => this.store(), this.#o.deferLimitMs);
      this.#deferTimer.unref();
    }
    const { slots } = this.#o;
    if (!slots || !this.#record.background) {
      this.#run();
      return;
    }
    slots.acquire(this.#controller.signal).then(
      (release) => {
        if (this.#finished) return release();
        this.#release = release;
        if (this.#record.status === 'queued') {
          // Its slot came: from now on it runs, in the store and for whoever follows it.
          this.#record.status = 'in_progress';
          this.log.append({
            event_type: 'interaction.status_update',
            interaction_id: this.id,
            status: 'in_progress',
          });
          this.#o.store.updateInteraction(this.id, { status: 'in_progress' }).catch((err: unknown) => {
            this.#o.logger.warn({ err, interaction: this.id }, 'could not record that a queued run started');
          });
        }
        this.#run();
      },
      () => {}, // cancelled or failed while waiting: #finish ended it already
    );
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

  /**
   * A `deferred` run becomes `stored`: its row (as it started) goes into the store, then the events so far,
   * then the rest as they come. No-op for other runs and once finished.
   */
  store(): void {
    if (this.#persistence !== 'deferred' || this.#finished) return;
    this.#persistence = 'stored';
    clearTimeout(this.#deferTimer);
    this.#tracked(); // snapshots can be asked for from now on
    // As it started: #finish replaces fields of the record, and the insert runs a little later.
    const row: InteractionRecord = { ...this.#record, status: 'in_progress', output: [] };
    for (const event of startEvents(row)) this.log.append(event);
    for (const event of this.#unwatched ?? []) this.log.append({ ...event } as CanonicalEvent);
    this.#unwatched = undefined;
    const { store } = this.#o;
    this.log.release(() => store.createInteraction(row));
  }

  /** Abort the engine and end the run `cancelled` with what it produced so far. */
  cancel(): Promise<InteractionRecord> {
    if (!this.#finished) {
      this.#controller.abort(new DOMException('The interaction was cancelled.', 'AbortError'));
      const tracker = this.#tracked();
      this.#finish('cancelled', tracker.items, tracker.interaction?.usage);
    }
    return this.done;
  }

  /** Abort the engine and end the run `failed` with `error` (server shutdown, turn deadline). */
  fail(error: ErrorBody): Promise<InteractionRecord> {
    if (!this.#finished) {
      this.#controller.abort(new DOMException(error.message, 'AbortError'));
      const tracker = this.#tracked();
      this.#finish('failed', tracker.items, tracker.interaction?.usage, error);
    }
    return this.done;
  }

  /** The interaction was deleted: the run goes on (delete does not cancel) but nothing more is written. */
  detach(): void {
    this.#deleted = true;
    this.log.detach();
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
          history: () => this.#history(),
          signal: this.#controller.signal,
        },
        { emit: (event) => this.#onEngineEvent(event) },
      );
    } catch (err) {
      if (this.#persistence !== 'memory') logger.error({ err, interaction: r.id }, 'engine failed');
      const tracker = this.#tracked();
      outcome = {
        status: 'failed',
        output: tracker.items,
        usage: tracker.interaction?.usage ?? {},
        error: { code: 'api_error', message: 'The model backend failed unexpectedly.' },
      };
    }
    if (this.#finished) return;
    if (outcome.status === 'failed') this.#finish('failed', outcome.output, outcome.usage, outcome.error);
    else this.#finish(outcome.status, outcome.output, outcome.usage);
  }

  /** The chain before this interaction: from the cache when it holds it, else from the store (then cached). */
  async #history(): Promise<readonly Item[]> {
    if (this.#parent) return this.#parent.items;
    const previousId = this.#record.previousId as string;
    const { store, history: cache } = this.#o;
    const owner = this.#record.owner;
    let parent = cache?.get(previousId, owner, Date.now());
    if (!parent) {
      const chain = await store.loadChain(previousId);
      parent = storedHistory(owner, chain.items, chain.ids, chain.expiresAt);
      // The create checked that the caller owns `previousId`, so its chain is theirs. (A store:false turn may
      // continue a stored chain: that chain is cached, never the store:false turn itself.)
      if (chain.ids.length > 0) cache?.set(previousId, parent);
    }
    this.#parent = parent;
    return parent.items;
  }

  #onEngineEvent(event: EngineEvent): void {
    if (this.#finished) return;
    if (this.#unwatched) {
      this.#unwatched.push(event);
      this.#tracker?.push(event);
      return;
    }
    const copy = { ...event } as CanonicalEvent;
    this.#tracker?.push(copy);
    this.log.append(copy);
  }

  /** The tracker, built from the events so far first if this run had none. */
  #tracked(): StreamAccumulator {
    if (!this.#tracker) {
      const tracker = new StreamAccumulator();
      if (this.#unwatched) for (const event of this.#unwatched) tracker.push(event);
      else {
        for (const { event } of this.log.buffered) {
          if (event.event_type.startsWith('step.')) tracker.push(event);
        }
      }
      this.#tracker = tracker;
    }
    return this.#tracker;
  }

  #finish(status: InteractionStatus, output: Item[], usage: Usage | undefined, error?: ErrorBody): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#deferTimer);
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

    // A run nobody watched ends without lifecycle events: its log is derived from the final state if replayed.
    if (this.#unwatched === undefined) for (const event of endEvents(r)) this.log.append(event);
    this.log.end();
    // The record holds the final state now: let go of what rebuilt it while the last write is under way
    // (a run waiting for a commit should keep as little as possible alive).
    this.#unwatched = undefined;
    this.#tracker = undefined;
    void this.#persistFinal();
  }

  async #persistFinal(): Promise<void> {
    const r = this.#record;
    const { store } = this.#o;
    try {
      if (this.#persistence === 'deferred') {
        // Never seen by anyone: one row with the final state, no event log (a replay derives it).
        this.log.discardHeld();
        r.eventLog = 'derived';
        await store.createInteraction(r);
        this.#remember();
      } else if (this.#persistence === 'stored' && !this.#deleted) {
        await this.log.flushed();
        await store.updateInteraction(r.id, {
          status: r.status,
          updated: r.updated,
          output: r.output,
          usage: r.usage,
          error: r.error,
          expiresAt: r.expiresAt,
        });
        this.#remember();
        if (!this.#deleted) this.#o.onEnded?.(r);
      }
    } catch (err) {
      this.#o.logger.error({ err, interaction: r.id }, 'could not persist the final interaction state');
    } finally {
      this.#onSettled();
      this.#resolve(r);
    }
  }

  /**
   * Leave this interaction's full history in the cache for the turn that continues it. Only turns that
   * continue a chain: most first turns are never continued, and caching each would keep every one-shot
   * create alive in memory; the second turn of a chain reads its first from the store (one row) and caches it.
   */
  #remember(): void {
    const cache = this.#o.history;
    const parent = this.#parent;
    // Unknown parent: the turn never read its history (a failed route, an agent that did not need it).
    if (!cache || !parent || parent === NO_HISTORY || this.#deleted || this.log.persistent === false) return;
    const r = this.#record;
    const input = Array.isArray(r.request.input) ? r.request.input : [];
    cache.set(r.id, extendHistory(parent, r.id, r.owner, [...input, ...r.output], r.expiresAt));
  }
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
