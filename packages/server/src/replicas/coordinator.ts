/**
 * What makes this server one replica among several on one Postgres database (store/replica-store.ts):
 * - a heartbeat renews the leases on the interactions it runs (every third of the lease); a run whose lease
 *   another replica took over stops here, writing nothing more;
 * - it claims runs nobody holds: queued background runs (within its free slots) and background runs whose
 *   replica died — resumed from their last stored step — and ends the others (a foreground run whose
 *   replica died is failed: its client is gone; a run whose cancel was asked is cancelled);
 * - it hears the other replicas' notices: a cancel asked elsewhere stops the run here, a delete stops its
 *   writes, written events wake the streams following a run from here (`watch`), a queued run is claimed;
 * - at shutdown, its background runs still going are handed over (their leases given back) instead of failed.
 */
import type { ErrorBody } from '@interplay/protocol';
import type { Logger } from 'pino';
import { type Ending, endInterrupted, readLog } from '../runtime/recovery.ts';
import { type Run, TAKEN_OVER_ERROR } from '../runtime/run.ts';
import type { ClaimedRun, ReplicaNotice, ReplicaStore } from '../store/replica-store.ts';
import type { InteractionRecord, Store } from '../store/store.ts';
import type { EventWatch } from './remote-feed.ts';
import { type ResumePoint, resumePoint } from './resume-point.ts';

/** A foreground run whose replica died: its client's connection went with it, so it is failed, not resumed. */
export const REPLICA_STOPPED_ERROR: ErrorBody = {
  code: 'api_error',
  message:
    'The server replica running this interaction stopped before it finished; it was not a background interaction, so it could not be resumed.',
};

/** What a stream on this replica ends with when the run moves to another replica at shutdown. */
export const HANDED_OVER_ERROR: ErrorBody = {
  code: 'service_unavailable',
  message: 'This server replica shut down; another replica goes on with the interaction.',
};

/** Runs ended (not run) per claim pass at most; the next beat claims more. */
const END_BATCH = 100;

export interface CoordinatorOptions {
  store: Store & ReplicaStore;
  logger: Logger;
  retentionMs: number;
  /** The stored runs running here. */
  runs: () => Run[];
  /** The run of `id` if it runs here. */
  run: (id: string) => Run | undefined;
  /** Background runs this replica could start now (`undefined`: no cap; runtime/background-slots.ts). */
  freeSlots: () => number | undefined;
  /** Start a claimed run here, going on from its stored log. */
  resume: (claimed: ClaimedRun, point: ResumePoint) => Run;
  /** Told of each run this replica ends without running it (the webhooks' hook, as a run's own end is). */
  onEnded?: ((record: InteractionRecord) => void) | undefined;
}

export class ReplicaCoordinator {
  readonly #o: CoordinatorOptions;
  /** Streams following an interaction from here, woken by its notices. */
  readonly #watches = new Map<string, Set<() => void>>();
  #stopListening: (() => void) | undefined;
  #beat: NodeJS.Timeout | undefined;
  /** The claim pass under way; another is run after it when asked for meanwhile. */
  #claiming: Promise<void> | undefined;
  #claimAgain = false;
  #stopped = false;

  constructor(options: CoordinatorOptions) {
    this.#o = options;
  }

  get replicaId(): string {
    return this.#o.store.replicaId;
  }

  /** Listen to the other replicas, start the heartbeat, and claim what waits (runs of replicas that died). */
  async start(): Promise<void> {
    this.#stopListening = await this.#o.store.listen((notice) => this.#onNotice(notice));
    this.#beat = setInterval(() => void this.#heartbeat(), Math.max(250, this.#o.store.leaseMs / 3));
    this.#beat.unref();
    await this.claim();
  }

  /** Stop the heartbeat and the notices (the runs still here are shut down by the caller). */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#beat);
    this.#stopListening?.();
    for (const wakers of this.#watches.values()) for (const wake of wakers) wake();
  }

  /** A watch on `id`'s notices for a stream following it from here (replicas/remote-feed.ts). */
  watch(id: string): EventWatch {
    let pending = false;
    let wake: (() => void) | undefined;
    const waker = () => {
      pending = true;
      wake?.();
    };
    let set = this.#watches.get(id);
    if (!set) {
      set = new Set();
      this.#watches.set(id, set);
    }
    set.add(waker);
    return {
      next: (timeoutMs, signal) => {
        if (pending || this.#stopped || signal?.aborted) {
          pending = false;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            wake = undefined;
            pending = false;
            resolve();
          };
          const timer = setTimeout(done, timeoutMs);
          signal?.addEventListener('abort', done, { once: true });
          wake = done;
        });
      },
      close: () => {
        wake?.();
        set.delete(waker);
        if (set.size === 0 && this.#watches.get(id) === set) this.#watches.delete(id);
      },
    };
  }

  /**
   * Claim what nobody runs: end the runs that cannot go on, then take as many background runs as this
   * replica has free slots. Passes do not overlap: one asked for during a pass runs after it.
   */
  claim(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#claiming) {
      this.#claimAgain = true;
      return this.#claiming;
    }
    this.#claiming = (async () => {
      do {
        this.#claimAgain = false;
        try {
          await this.#claimPass();
        } catch (err) {
          this.#o.logger.warn({ err }, 'could not claim runs from the store; the next heartbeat tries again');
        }
      } while (this.#claimAgain && !this.#stopped);
    })().finally(() => {
      this.#claiming = undefined;
    });
    return this.#claiming;
  }

  /**
   * At shutdown: give a background run still going to the other replicas (it stops here, its lease is given
   * back, the first replica with a free slot resumes it). False for a foreground run, which is failed.
   */
  async handOver(run: Run): Promise<boolean> {
    if (!run.background || !run.log.rowWritten) return false;
    await run.abandon(HANDED_OVER_ERROR);
    try {
      await this.#o.store.releaseLease(run.id);
      this.#o.logger.info({ interaction: run.id }, 'handed a background run over to the other replicas');
    } catch (err) {
      // Its lease lapses instead; another replica takes it over then.
      this.#o.logger.warn({ err, interaction: run.id }, 'could not hand the run over; its lease will lapse');
    }
    return true;
  }

  /** End a run this replica claimed by id (a cancel of a run nobody holds). */
  async endClaimed(claimed: ClaimedRun): Promise<void> {
    await this.#end(claimed);
  }

  #onNotice(notice: ReplicaNotice): void {
    switch (notice.kind) {
      case 'events':
        this.#wake(notice.id);
        break;
      case 'cancel':
        void this.#o.run(notice.id)?.cancel();
        break;
      case 'delete':
        this.#o.run(notice.id)?.detach();
        this.#wake(notice.id);
        break;
      case 'queued':
        void this.claim();
        break;
      case 'reconnected':
        for (const id of this.#watches.keys()) this.#wake(id);
        void this.claim();
        break;
    }
  }

  #wake(id: string): void {
    for (const wake of this.#watches.get(id) ?? []) wake();
  }

  async #heartbeat(): Promise<void> {
    if (this.#stopped) return;
    const { store, logger } = this.#o;
    // Only runs whose row was written before the renewal can be judged by it.
    const running = this.#o.runs().filter((run) => !run.finished && run.log.rowWritten);
    try {
      const held = await store.renewLeases();
      for (const run of running) {
        if (held.has(run.id) || run.finished) continue;
        logger.warn({ interaction: run.id }, 'another replica took the interaction over; stopping it here');
        void run.abandon(TAKEN_OVER_ERROR);
      }
    } catch (err) {
      logger.warn({ err }, 'could not renew this replica’s leases; trying again at the next heartbeat');
      return;
    }
    await this.claim();
  }

  async #claimPass(): Promise<void> {
    const { store, logger } = this.#o;
    for (const claimed of await store.claimRuns({ background: false, limit: END_BATCH })) {
      await this.#end(claimed);
    }
    const free = this.#freeSlots();
    if (free === 0 || this.#stopped) return;
    for (const claimed of await store.claimRuns({ background: true, limit: free })) {
      const { record } = claimed;
      try {
        const point = resumePoint(await readLog(store, record.id));
        this.#o.resume(claimed, point);
        logger.info(
          { interaction: record.id, steps: point.steps.length, queued: record.status === 'queued' },
          record.status === 'queued' ? 'started a queued run' : 'took over a run whose replica stopped',
        );
      } catch (err) {
        logger.error({ err, interaction: record.id }, 'could not take the run over; failing it');
        await this.#end({ ...claimed, cancelRequested: false }, REPLICA_STOPPED_ERROR);
      }
    }
  }

  /** Ends a claimed run that is not run here: cancelled when that was asked, else failed. */
  async #end(claimed: ClaimedRun, error: ErrorBody = REPLICA_STOPPED_ERROR): Promise<void> {
    const { record } = claimed;
    try {
      const ending: Ending = claimed.cancelRequested ? { status: 'cancelled' } : { status: 'failed', error };
      await endInterrupted(this.#o.store, record, ending, this.#o.retentionMs);
      this.#o.onEnded?.({ ...record, ...ending });
      this.#o.logger.warn(
        { interaction: record.id, status: claimed.cancelRequested ? 'cancelled' : 'failed' },
        'ended a run whose replica stopped',
      );
    } catch (err) {
      this.#o.logger.error({ err, interaction: record.id }, 'could not end a run whose replica stopped');
    }
  }

  #freeSlots(): number {
    return Math.min(this.#o.freeSlots() ?? END_BATCH, END_BATCH);
  }
}
