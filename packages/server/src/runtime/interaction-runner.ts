/**
 * Runs interactions: wraps the engine's step events with `interaction.created` / `status_update` /
 * `interaction.completed` / `error`, keeps the event log, and persists the final state. Cancel, shutdown and
 * engine failures all end a run the same way (`#finish`), exactly once.
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
import { isoSeconds } from './ids.ts';
import { InteractionLog } from './live-events.ts';

export interface RunnerOptions {
  store: Store;
  engine: Engine;
  logger: Logger;
  retentionMs: number;
}

/** Error recorded for runs still going when the server shuts down. */
export const SHUTDOWN_ERROR: ErrorBody = {
  code: 'service_unavailable',
  message: 'The server shut down before this interaction finished.',
};

export class Runner {
  readonly #o: RunnerOptions;
  /** Stored runs by id (GET/cancel find them here); `store:false` runs are only in `#all`. */
  readonly #byId = new Map<string, Run>();
  readonly #all = new Set<Run>();
  #closing = false;

  constructor(options: RunnerOptions) {
    this.#o = options;
  }

  /** The live run of a stored interaction, if it is running in this process. */
  get(id: string): Run | undefined {
    return this.#byId.get(id);
  }

  get size(): number {
    return this.#all.size;
  }

  /** False once shutdown began: new interactions are refused (503) rather than started and then failed. */
  get accepting(): boolean {
    return !this.#closing;
  }

  /**
   * Start a run. `record` must already be in the store when `persist` is true. The first events
   * (`interaction.created`, `status_update`) are in the log when this returns.
   */
  start(record: InteractionRecord, persist: boolean): Run {
    if (this.#closing) throw shuttingDown();
    const run = new Run(record, persist, this.#o, () => {
      this.#all.delete(run);
      if (this.#byId.get(record.id) === run) this.#byId.delete(record.id);
    });
    this.#all.add(run);
    if (persist) this.#byId.set(record.id, run);
    run.begin();
    return run;
  }

  /** Let runs finish for up to `graceMs`, then fail the rest with {@link SHUTDOWN_ERROR}; resolves when all are persisted. */
  async shutdown(graceMs: number): Promise<void> {
    this.#closing = true;
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
  readonly #persist: boolean;
  readonly #o: RunnerOptions;
  readonly #controller = new AbortController();
  readonly #tracker = new StreamAccumulator();
  readonly #onSettled: () => void;
  #resolve!: (record: InteractionRecord) => void;
  #finished = false;
  #deleted = false;

  constructor(record: InteractionRecord, persist: boolean, o: RunnerOptions, onSettled: () => void) {
    this.id = record.id;
    this.#record = record;
    this.#persist = persist;
    this.#o = o;
    this.#onSettled = onSettled;
    this.log = new InteractionLog(record.id, persist ? o.store : undefined, o.logger);
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
    return { ...this.#record, output: this.#tracker.items };
  }

  begin(): void {
    const r = this.#record;
    this.log.append({
      event_type: 'interaction.created',
      interaction: {
        id: r.id,
        status: 'in_progress',
        object: 'interaction',
        ...modelOrAgent(r),
        created: r.created,
        updated: r.updated,
      },
    });
    this.log.append({ event_type: 'interaction.status_update', interaction_id: r.id, status: 'in_progress' });
    void this.#execute();
  }

  /** Abort the engine and end the run `cancelled` with what it produced so far. */
  cancel(): Promise<InteractionRecord> {
    if (!this.#finished) {
      this.#controller.abort(new DOMException('The interaction was cancelled.', 'AbortError'));
      this.#finish('cancelled', this.#tracker.items, this.#tracker.interaction?.usage);
    }
    return this.done;
  }

  /** Abort the engine and end the run `failed` with `error` (server shutdown). */
  fail(error: ErrorBody): Promise<InteractionRecord> {
    if (!this.#finished) {
      this.#controller.abort(new DOMException(error.message, 'AbortError'));
      this.#finish('failed', this.#tracker.items, this.#tracker.interaction?.usage, error);
    }
    return this.done;
  }

  /** The interaction was deleted: the run goes on (delete does not cancel) but nothing more is written. */
  detach(): void {
    this.#deleted = true;
    this.log.detach();
  }

  async #execute(): Promise<void> {
    const { store, engine, logger } = this.#o;
    const r = this.#record;
    const previousId = r.previousId;
    let outcome: TurnOutcome;
    try {
      outcome = await engine.runTurn(
        {
          interactionId: r.id,
          request: r.request,
          history: previousId === undefined ? async () => [] : () => store.loadHistory(previousId),
          signal: this.#controller.signal,
        },
        { emit: (event) => this.#onEngineEvent(event) },
      );
    } catch (err) {
      if (this.#persist) logger.error({ err, interaction: r.id }, 'engine failed');
      outcome = {
        status: 'failed',
        output: this.#tracker.items,
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
    const copy = { ...event } as CanonicalEvent;
    this.#tracker.push(copy);
    this.log.append(copy);
  }

  #finish(status: InteractionStatus, output: Item[], usage: Usage | undefined, error?: ErrorBody): void {
    if (this.#finished) return;
    this.#finished = true;
    const r = this.#record;
    const now = Date.now();
    r.status = status;
    r.output = output;
    r.usage = withTotal(usage);
    r.updated = isoSeconds(now);
    if (error) r.error = error;
    r.expiresAt = now + this.#o.retentionMs;

    if (error) this.log.append({ event_type: 'error', error: { code: error.code, message: error.message } });
    this.log.append({
      event_type: 'interaction.status_update',
      interaction_id: r.id,
      status,
      ...(r.usage ? { usage: r.usage } : {}),
    });
    this.log.append({
      event_type: 'interaction.completed',
      interaction: {
        id: r.id,
        status,
        object: 'interaction',
        ...modelOrAgent(r),
        created: r.created,
        updated: r.updated,
        ...(r.usage ? { usage: r.usage } : {}),
      },
    });
    this.log.end();
    void this.#persistFinal();
  }

  async #persistFinal(): Promise<void> {
    const r = this.#record;
    try {
      if (this.#persist && !this.#deleted) {
        await this.log.flushed();
        await this.#o.store.updateInteraction(r.id, {
          status: r.status,
          updated: r.updated,
          output: r.output,
          usage: r.usage,
          error: r.error,
          expiresAt: r.expiresAt,
        });
      }
    } catch (err) {
      this.#o.logger.error({ err, interaction: r.id }, 'could not persist the final interaction state');
    } finally {
      this.#onSettled();
      this.#resolve(r);
    }
  }
}

function modelOrAgent(r: InteractionRecord): { model?: string; agent?: string } {
  if (r.agent !== undefined) return { agent: r.agent };
  return r.model !== undefined ? { model: r.model } : {};
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
