/**
 * The interaction service's side for interactions that run on another replica, or wait for one (several
 * replicas on one Postgres database): queue a background run for any replica, read a running one's output
 * so far, follow its events live, cancel it — all through the store and the replicas' notices, so any
 * replica answers for any interaction. The coordinator (coordinator.ts) does the leases and claims.
 */
import { type CanonicalEvent, InteractionsError, StreamAccumulator } from '@interplay/protocol';
import type { Logger } from 'pino';
import { eventIdFor } from '../runtime/ids.ts';
import { readLog } from '../runtime/recovery.ts';
import type { Run, RunEnd } from '../runtime/run.ts';
import type { ClaimedRun, ReplicaStore } from '../store/replica-store.ts';
import type { InteractionRecord, Store, StoredEvent } from '../store/store.ts';
import { ReplicaCoordinator } from './coordinator.ts';
import { remoteFeed } from './remote-feed.ts';
import type { ResumePoint } from './resume-point.ts';

export interface ReplicasOptions {
  store: Store & ReplicaStore;
  logger: Logger;
  retentionMs: number;
  freeSlots: () => number | undefined;
  runs: () => Run[];
  run: (id: string) => Run | undefined;
  resume: (claimed: ClaimedRun, point: ResumePoint) => Run;
  /** Told of each run this replica ends without running it (a queued run cancelled, a takeover that failed). */
  onEnded?: ((record: InteractionRecord) => void) | undefined;
  /** How long a stream waits for a notice before reading the store anyway. Default 5 s. */
  pollMs?: number;
}

/** What a create of a run queued for any replica answers with: the parts of a local `Run` a create uses. */
export class QueuedRun {
  readonly id: string;
  /** As created: `queued`. */
  readonly row: InteractionRecord;
  readonly background = true;
  readonly #replicas: Replicas;
  #done: Promise<RunEnd> | undefined;

  constructor(row: InteractionRecord, replicas: Replicas) {
    this.id = row.id;
    this.row = row;
    this.#replicas = replicas;
  }

  /** Its final state, whichever replica runs it (read only when asked for). */
  get done(): Promise<RunEnd> {
    this.#done ??= this.#replicas.final(this.row).then((record) => ({ record, stored: true }));
    return this.#done;
  }

  events(afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
    return this.#replicas.follow(this.id, this.row.owner, afterSeq, signal);
  }

  async cancel(): Promise<RunEnd> {
    return { record: await this.#replicas.cancel(this.row), stored: true };
  }
}

const RUNNING = new Set(['queued', 'in_progress']);

export class Replicas {
  readonly coordinator: ReplicaCoordinator;
  readonly #o: ReplicasOptions;
  readonly #pollMs: number;

  constructor(options: ReplicasOptions) {
    this.#o = options;
    this.#pollMs = options.pollMs ?? 5_000;
    this.coordinator = new ReplicaCoordinator(options);
  }

  /**
   * Store `record` as a background run waiting for a slot on any replica (`queued`, its first events
   * written), and announce it: the first replica with a free slot claims and runs it.
   */
  async queue(record: InteractionRecord): Promise<QueuedRun> {
    const { store } = this.#o;
    const row: InteractionRecord = { ...record, status: 'queued' };
    await store.createInteraction(row);
    const created: CanonicalEvent = {
      event_type: 'interaction.created',
      interaction: {
        id: row.id,
        status: 'queued',
        object: 'interaction',
        ...(row.agent !== undefined ? { agent: row.agent } : { model: row.model }),
        created: row.created,
        updated: row.created,
      },
    };
    const queued: CanonicalEvent = {
      event_type: 'interaction.status_update',
      interaction_id: row.id,
      status: 'queued',
    };
    await store.appendEvents(
      row.id,
      [created, queued].map((event, i) => ({ event: { ...event, event_id: eventIdFor(i + 1) } })),
      1,
    );
    // Its lease given back (with a notice): it is anyone's to claim now, this replica's included.
    await store.releaseLease(row.id);
    return new QueuedRun(row, this);
  }

  /** A running interaction of another replica, with its output so far (rebuilt from its stored log). */
  async snapshot(record: InteractionRecord): Promise<InteractionRecord> {
    if (!RUNNING.has(record.status)) return record;
    const tracker = new StreamAccumulator();
    for (const e of await readLog(this.#o.store, record.id)) tracker.push(e.event);
    return { ...record, output: tracker.items };
  }

  /** `id`'s stored events after `afterSeq`, then live as any replica writes them, until its end. */
  follow(
    id: string,
    owner: string | null,
    afterSeq: number,
    signal?: AbortSignal,
  ): AsyncGenerator<StoredEvent> {
    const { store } = this.#o;
    return remoteFeed({
      id,
      store,
      afterSeq,
      watch: this.coordinator.watch(id),
      gone: async () => (await store.getInteraction(id, owner)) === undefined,
      pollMs: this.#pollMs,
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * Cancel a background run that does not run here: asked of every replica (the one running it stops it),
   * or, when nobody holds it (queued, or its replica died), ended here at once. Resolves with its final state.
   */
  async cancel(record: InteractionRecord): Promise<InteractionRecord> {
    const { store } = this.#o;
    if (!(await store.requestCancel(record.id))) return this.#current(record);
    const claimed = await store.claimRun(record.id);
    if (claimed) await this.coordinator.endClaimed({ ...claimed, cancelRequested: true });
    return this.final(record, 2 * store.leaseMs + 5_000);
  }

  async #current(record: InteractionRecord): Promise<InteractionRecord> {
    const now = await this.#o.store.getInteraction(record.id, record.owner);
    if (!now) throw new InteractionsError('not_found', `Interaction '${record.id}' was not found.`);
    return now;
  }

  /** Waits for `record` to end (woken by its notices), for up to `timeoutMs`. */
  async final(record: InteractionRecord, timeoutMs = Number.POSITIVE_INFINITY): Promise<InteractionRecord> {
    const watch = this.coordinator.watch(record.id);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const now = await this.#current(record);
        if (!RUNNING.has(now.status)) return now;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new InteractionsError(
            'service_unavailable',
            `The cancel of interaction '${record.id}' is recorded; the replica running it has not stopped it yet.`,
          );
        }
        await watch.next(Math.min(left, this.#pollMs));
      }
    } finally {
      watch.close();
    }
  }
}
