/**
 * What the Interactions API does, between the HTTP layer (which parses requests and frames responses) and the
 * runtime (which runs interactions and stores them): create, get, follow the events, cancel, delete — and the
 * rules around them (the previous interaction's check, file references, agents' constraints), with the
 * history a turn continues.
 *
 * @example
 * ```ts
 * const interactions = new InteractionService({ store, engine, logger, retentionMs, fileActivationMs: 0 });
 * const run = await interactions.create({ owner: null, request, stream: false, sentInput: request.input });
 * const { record } = await run.done; // its final state, stored
 * ```
 */
import { type CanonicalRequest, InteractionsError } from '@interplay/protocol';
import { type Context, context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { validateAgentRequest } from '../agents/registry.ts';
import type { Engine } from '../engine/contract.ts';
import { checkFileRefs } from '../files/refs.ts';
import { type QueuedRun, Replicas } from '../replicas/replicas.ts';
import type { ResumePoint } from '../replicas/resume-point.ts';
import { ActiveRuns, shuttingDown } from '../runtime/active-runs.ts';
import { ChainHistory } from '../runtime/chain-history.ts';
import { eventFeed } from '../runtime/event-feed.ts';
import {
  type CachedHistory,
  type HistoryCache,
  type HistoryCacheOptions,
  NO_HISTORY,
} from '../runtime/history-cache.ts';
import { type EventCursor, isoSeconds, newInteractionId, parseEventId } from '../runtime/ids.ts';
import { dropResentHistory, mayRepeatHistory } from '../runtime/resent-history.ts';
import { NOT_STORED_ERROR, type Run } from '../runtime/run.ts';
import { isReplicaStore } from '../store/replica-store.ts';
import type { InteractionRecord, Store, StoredEvent } from '../store/store.ts';
import { traceInteraction } from '../telemetry/spans.ts';

export interface InteractionServiceOptions {
  store: Store;
  engine: Engine;
  logger: Logger;
  /** How long a finished interaction is kept. */
  retentionMs: number;
  /** How long an uploaded file stays PROCESSING (input may name only ACTIVE files). */
  fileActivationMs: number;
  /** Limits of the in-memory history of recent chains; `false` turns it off. */
  historyCache?: HistoryCacheOptions | false;
  /** The longest a turn may run before it is failed with `deadline_exceeded`. Default 60 minutes. */
  turnTimeoutMs?: number;
  /**
   * Background runs executing at once in this process; past it a background create answers `queued`. With
   * several replicas (a store they share, replicas/), a queued run waits in the store for the first replica
   * with a free slot. Default: no limit.
   */
  maxBackgroundRuns?: number;
  /** Called once a stored run's final state is written (the webhooks' hook). Must not throw. */
  onEnded?: (record: InteractionRecord) => void;
}

/** What `create` answers with: the run here, or (several replicas) a run queued for whichever replica is free. */
export type CreatedRun = Run | QueuedRun;

export interface CreateInput {
  /** The caller's key hash (`null` in open mode): the only one who will see the interaction. */
  owner: string | null;
  request: CanonicalRequest;
  /** The caller follows the run as a stream: it learns the id at once, so the row is written before. */
  stream: boolean;
  /** `input` as the client sent it, so errors about file references name fields as the client wrote them. */
  sentInput: unknown;
  /** The trace the request continues (its `traceparent`); default: the active context. */
  trace?: Context;
}

export interface EventsInput {
  /** Resume after this event (a client's `last_event_id`); 400 when it is not an event of the interaction. */
  lastEventId?: string;
  /** Start at the first event even when resuming (the legacy stream is converted from the log's start). */
  fromStart?: boolean;
  /** Stops the events (the client went away), even while waiting for the next live one. */
  signal?: AbortSignal;
}

export class InteractionService {
  readonly #o: InteractionServiceOptions;
  readonly #runs: ActiveRuns;
  readonly #history: ChainHistory;
  /** Several replicas share the store: interactions may run elsewhere. */
  readonly #replicas: Replicas | undefined;

  constructor(options: InteractionServiceOptions) {
    this.#o = options;
    this.#runs = new ActiveRuns(options);
    const { store } = options;
    // Another replica may delete or expire any link of a chain: no per-process copy of a chain may serve a
    // turn, so with replicas every turn reads its history from the store.
    this.#history = new ChainHistory(store, isReplicaStore(store) ? false : options.historyCache);
    this.#replicas = isReplicaStore(store)
      ? new Replicas({
          store,
          logger: options.logger,
          retentionMs: options.retentionMs,
          freeSlots: () => this.#runs.freeBackgroundSlots(),
          runs: () => this.#runs.stored(),
          run: (id) => this.#runs.get(id),
          resume: (claimed, point) => this.#resume(claimed.record, point),
          onEnded: options.onEnded,
        })
      : undefined;
  }

  /** With replicas: listen to the others and claim what waits for this one. */
  async start(): Promise<void> {
    await this.#replicas?.coordinator.start();
  }

  /** Interactions running in this process. */
  get running(): number {
    return this.#runs.size;
  }

  /** The in-memory history of recent chains (`undefined` when turned off), for diagnostics and tests. */
  get historyCache(): HistoryCache | undefined {
    return this.#history.cache;
  }

  /**
   * Check the request against the rules and start its run. For a stream or a background create the row is
   * in the store when this returns (the caller learns its id at once); otherwise it is written as the run
   * starts, and `run.done` says when the final state is.
   */
  async create(input: CreateInput): Promise<CreatedRun> {
    const { owner, request } = input;
    const agentProblem = validateAgentRequest(request);
    if (agentProblem) throw agentProblem;
    const stored = request.store !== false;
    const background = request.background === true;
    if (background && !stored) {
      throw new InteractionsError(
        'invalid_request',
        "'background' requires a stored interaction: background=true cannot be combined with store=false.",
        { field: 'background' },
      );
    }
    const previousId = request.previous_interaction_id;
    let parent: CachedHistory | undefined;
    if (previousId !== undefined) {
      parent = await this.#history.continuing(previousId, owner);
      if (mayRepeatHistory(request.input))
        request.input = dropResentHistory(request.input, parent.items).input;
    }
    // `undefined` when the input names no file (most creates): then there is nothing to wait for.
    const filesChecked = checkFileRefs(input.sentInput, owner, this.#o.store, this.#o.fileActivationMs);
    if (filesChecked) await filesChecked;
    if (!this.#runs.accepting) throw shuttingDown();

    const now = Date.now();
    const stamp = isoSeconds(now);
    const record: InteractionRecord = {
      id: newInteractionId(now),
      owner,
      status: this.#runs.initialStatus(background),
      created: stamp,
      updated: stamp,
      request,
      output: [],
      background,
      expiresAt: now + this.#o.retentionMs,
    };
    if (request.model !== undefined) record.model = request.model;
    if (request.agent !== undefined) record.agent = request.agent;
    if (previousId !== undefined) record.previousId = previousId;

    if (this.#replicas && record.status === 'queued') return this.#replicas.queue(record);

    // Read above with the check of previous_interaction_id; a first turn has none.
    const items = (parent ?? NO_HISTORY).items;
    const history = () => Promise.resolve(items);
    const run = traceInteraction(
      input.trace ?? context.active(),
      record,
      () =>
        this.#runs.start(record, {
          store: stored ? this.#o.store : undefined,
          history,
          historyIds: parent?.ids,
        }),
      (started) => started.done,
    );
    // A slot frees when it ends: a queued run may take it.
    if (background && this.#replicas) void run.done.then(() => this.#replicas?.coordinator.claim());
    if (stored && previousId !== undefined) {
      void run.done.then((end) => {
        if (end.stored && parent) this.#history.remember(end.record, parent);
      });
    }
    if ((input.stream || background) && !(await run.created)) {
      throw new InteractionsError(NOT_STORED_ERROR.code, NOT_STORED_ERROR.message);
    }
    return run;
  }

  /** The interaction as it stands (a running one with its output so far). 404 when not the caller's. */
  async get(owner: string | null, id: string): Promise<InteractionRecord> {
    const record = await this.#find(owner, id);
    const run = this.#runs.get(record.id);
    if (!run) return this.#replicas ? this.#replicas.snapshot(record) : record;
    // Ended but its end not written yet: answer with the end as stored, so what the caller sees is what the
    // store holds (a next turn continuing it must find it finished).
    if (run.finished) return (await run.done).record;
    return run.snapshot();
  }

  /**
   * The interaction's events, from its start or after `lastEventId`, live until it ends. Checks (404, 400)
   * are made before this resolves; `resume` is the parsed `lastEventId`.
   */
  async events(
    owner: string | null,
    id: string,
    input: EventsInput = {},
  ): Promise<{ events: AsyncIterable<StoredEvent>; resume: EventCursor | undefined }> {
    const record = await this.#find(owner, id);
    const run = this.#runs.get(record.id);
    let resume: EventCursor | undefined;
    if (input.lastEventId !== undefined) {
      resume = parseEventId(input.lastEventId);
      const known =
        resume !== undefined &&
        (run ? resume.seq <= run.log.lastSeq : await this.#o.store.hasEvent(record.id, resume.seq));
      if (!known) {
        throw new InteractionsError(
          'invalid_request',
          `Unknown 'last_event_id' '${input.lastEventId}': it is not an event of interaction '${record.id}'.`,
          { field: 'last_event_id' },
        );
      }
    }
    const afterSeq = resume && !input.fromStart ? resume.seq : 0;
    const { signal } = input;
    return { events: this.follow(record, afterSeq, signal), resume };
  }

  /**
   * A stored interaction's events after `afterSeq`, live while it runs. A run here is followed here; with
   * replicas, one running elsewhere (or moving elsewhere while followed) is followed through the store and
   * the replicas' notices; else the stored log is read.
   */
  follow(
    record: Pick<InteractionRecord, 'id' | 'owner'>,
    afterSeq: number,
    signal?: AbortSignal,
  ): AsyncIterable<StoredEvent> {
    const run = this.#runs.get(record.id);
    // A run here that cannot move: its own feed as it is (it ends with the log, right after the last event),
    // without a generator around it re-yielding each event.
    if (run && !this.#replicas) return run.events(afterSeq, signal);
    return this.#followAnywhere(record, afterSeq, signal);
  }

  async *#followAnywhere(
    record: Pick<InteractionRecord, 'id' | 'owner'>,
    afterSeq: number,
    signal?: AbortSignal,
  ): AsyncGenerator<StoredEvent> {
    let last = afterSeq;
    const run = this.#runs.get(record.id);
    if (run) {
      for await (const e of run.events(last, signal)) {
        last = e.seq;
        yield e;
        if (e.event.event_type === 'interaction.completed') return;
      }
      // Its log ended here without a final event: another replica goes on with it.
      if (!this.#replicas || signal?.aborted) return;
    }
    if (this.#replicas) {
      yield* this.#replicas.follow(record.id, record.owner, last, signal);
      return;
    }
    yield* eventFeed({
      id: record.id,
      store: this.#o.store,
      log: undefined,
      afterSeq: last,
      ...(signal ? { signal } : {}),
    });
  }

  /** Cancel a running background interaction; returns its final (`cancelled`) state. */
  async cancel(owner: string | null, id: string): Promise<InteractionRecord> {
    const record = await this.#find(owner, id);
    if (!record.background) {
      throw new InteractionsError(
        'failed_precondition',
        `Interaction '${record.id}' is not a background interaction; only running background interactions can be cancelled.`,
      );
    }
    const run = this.#runs.get(record.id);
    if (!run && this.#replicas && (record.status === 'queued' || record.status === 'in_progress')) {
      return this.#cancelled(record, await this.#replicas.cancel(record));
    }
    if (!run || run.finished) {
      const status = run ? run.snapshot().status : record.status;
      throw new InteractionsError(
        'failed_precondition',
        `Interaction '${record.id}' is already ${status}; only running background interactions can be cancelled.`,
      );
    }
    const { record: final } = await run.cancel();
    return this.#cancelled(record, final);
  }

  #cancelled(record: InteractionRecord, final: InteractionRecord): InteractionRecord {
    if (final.status !== 'cancelled') {
      throw new InteractionsError(
        'failed_precondition',
        `Interaction '${record.id}' finished (${final.status}) before it could be cancelled.`,
      );
    }
    return final;
  }

  /** Delete an interaction and its events. A running one goes on for its live streams, but is no longer stored. */
  async delete(owner: string | null, id: string): Promise<void> {
    const run = this.#runs.get(id);
    if (!(await this.#o.store.deleteInteraction(id, owner))) {
      throw new InteractionsError('not_found', `Interaction '${id}' was not found.`);
    }
    run?.detach();
    // After the delete (a run finishing meanwhile may have cached its history): no chain may read it any more.
    this.#history.forget(id);
  }

  /**
   * Refuse new interactions, let running ones finish for `graceMs`, then fail the rest — with replicas,
   * background runs still going are handed over to the other replicas instead.
   */
  async shutdown(graceMs: number): Promise<void> {
    const replicas = this.#replicas;
    if (!replicas) return this.#runs.shutdown(graceMs);
    replicas.coordinator.stop();
    await this.#runs.shutdown(graceMs, (run) => replicas.coordinator.handOver(run));
  }

  /** A run claimed from the store (queued, or taken over from a replica that stopped) goes on here. */
  #resume(record: InteractionRecord, point: ResumePoint): Run {
    const { previousId, owner } = record;
    return this.#runs.start(record, {
      store: this.#o.store,
      history: async () => (await this.#history.before(previousId, owner)).items,
      resume: point,
    });
  }

  async #find(owner: string | null, id: string): Promise<InteractionRecord> {
    const record = await this.#o.store.getInteraction(id, owner);
    if (!record) throw new InteractionsError('not_found', `Interaction '${id}' was not found.`);
    return record;
  }
}
