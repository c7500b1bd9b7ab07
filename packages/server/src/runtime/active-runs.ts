/**
 * The interactions running in this process: starts their runs, finds a stored one by id while it runs, and
 * ends them all at shutdown.
 */
import { type ErrorBody, InteractionsError, type Item } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { Engine } from '../engine/contract.ts';
import type { ResumePoint } from '../replicas/resume-point.ts';
import type { InteractionRecord, Store } from '../store/store.ts';
import { BackgroundSlots } from './background-slots.ts';
import { LiveList } from './live-list.ts';
import { LiveMap } from './live-map.ts';
import { Run, type RunOptions } from './run.ts';

export interface ActiveRunsOptions {
  engine: Engine;
  logger: Logger;
  /** How long a finished interaction is kept. */
  retentionMs: number;
  /**
   * The longest a turn may run before it is failed with `deadline_exceeded`, so a hung model or tool can
   * never leave an interaction `in_progress`. Default 60 minutes (Deep Research's documented maximum).
   */
  turnTimeoutMs?: number;
  /** Background runs executing at once; more wait `queued` (background-slots.ts). Default: no limit. */
  maxBackgroundRuns?: number;
  /**
   * Called once a stored run's final state is written (`requires_action` or a final status): the webhooks'
   * hook (webhooks/webhook-service.ts `interactionEnded`). Must not throw.
   */
  onEnded?: (record: InteractionRecord) => void;
}

export const DEFAULT_TURN_TIMEOUT_MS = 60 * 60_000;

/** Error recorded for runs still going when the server shuts down. */
export const SHUTDOWN_ERROR: ErrorBody = {
  code: 'service_unavailable',
  message: 'The server shut down before this interaction finished.',
};

export const shuttingDown = (): InteractionsError =>
  new InteractionsError(
    'service_unavailable',
    'The server is shutting down; retry against another instance.',
  );

export class ActiveRuns {
  readonly #o: ActiveRunsOptions & { turnTimeoutMs: number };
  readonly #slots: BackgroundSlots | undefined;
  /** Stored runs by id (GET and cancel find them here); `store:false` runs are only in `#all`. */
  readonly #byId = new LiveMap<string, Run>();
  readonly #all = new LiveList<Run>();
  #closing = false;

  constructor(options: ActiveRunsOptions) {
    this.#o = { ...options, turnTimeoutMs: options.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS };
    const cap = options.maxBackgroundRuns;
    this.#slots = cap === undefined ? undefined : new BackgroundSlots(cap);
  }

  /** The status a new interaction starts with: `queued` when it is a background run that must wait for a slot. */
  initialStatus(background: boolean): 'queued' | 'in_progress' {
    return background && this.#slots?.full ? 'queued' : 'in_progress';
  }

  /** Background runs that could start now without waiting; `undefined` when there is no cap. */
  freeBackgroundSlots(): number | undefined {
    return this.#slots?.free;
  }

  /** The run of a stored interaction, while it runs in this process. */
  get(id: string): Run | undefined {
    return this.#byId.get(id);
  }

  get size(): number {
    return this.#all.size;
  }

  /** The runs of stored interactions running here. */
  stored(): Run[] {
    return this.#byId.values();
  }

  /** False once shutdown began: new interactions are refused (503) rather than started and then failed. */
  get accepting(): boolean {
    return !this.#closing;
  }

  /**
   * Start the run of `record` (status `in_progress` — or `queued`, see {@link initialStatus} — no output yet). With a `store`, its row is written as the
   * run starts (`run.created`). The first events (`interaction.created`, `status_update`) are in its log
   * when this returns.
   */
  start(
    record: InteractionRecord,
    options: {
      store: Store | undefined;
      history: () => Promise<readonly Item[]>;
      historyIds?: readonly string[] | undefined;
      resume?: ResumePoint;
    },
  ): Run {
    if (this.#closing) throw shuttingDown();
    const o = this.#o;
    // Every field named, in one order: each run's options share one shape, and the literal is built without
    // the runtime call a second spread costs.
    const runOptions: RunOptions = {
      store: options.store,
      engine: o.engine,
      logger: o.logger,
      retentionMs: o.retentionMs,
      turnTimeoutMs: o.turnTimeoutMs,
      history: options.history,
      historyIds: options.historyIds,
      resume: options.resume,
      slots: record.background ? this.#slots : undefined,
      onEnded: o.onEnded,
    };
    const run = new Run(record, runOptions, () => {
      leave();
      if (this.#byId.get(record.id) === run) this.#byId.delete(record.id);
    });
    const leave = this.#all.add(run);
    if (options.store) this.#byId.set(record.id, run);
    run.begin();
    return run;
  }

  /**
   * Let runs finish for up to `graceMs`, then fail the rest with {@link SHUTDOWN_ERROR} — or, for a run
   * `handOver` accepts (another replica can go on with it), let that take it; resolves when all are persisted
   * or handed over.
   */
  async shutdown(graceMs: number, handOver?: (run: Run) => Promise<boolean>): Promise<void> {
    this.#closing = true;
    const pending = this.#all.values().map((r) => r.done);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    await Promise.allSettled(
      this.#all.values().map(async (run) => {
        if (!(handOver && !run.finished && (await handOver(run)))) await run.fail(SHUTDOWN_ERROR);
      }),
    );
    await Promise.allSettled([...pending, ...this.#all.values().map((r) => r.done)]);
  }
}
