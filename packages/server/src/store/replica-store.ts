/**
 * What replicas sharing one database coordinate through (the Postgres store implements it; one SQLite
 * process needs none of it).
 *
 * Runs are leased. The replica running a stored interaction holds its lease and renews it with heartbeats;
 * writes to a leased interaction by any other replica are refused (`StoreError('lease_lost')`). When a lease
 * lapses (its replica died or stalled), another replica claims the run: it resumes it, or ends it. A queued
 * background run has no lease: the first replica with a free slot claims it.
 *
 * Replicas tell each other what happened through notifications: events written (live tails), cancel asked,
 * interaction deleted, run queued.
 */
import type { InteractionRecord } from './store.ts';

/** A run this replica now holds the lease of. */
export interface ClaimedRun {
  /**
   * As it was when claimed: `queued` (never started; claimed to be run, it is `in_progress` in the store
   * from then on) or `in_progress` (its replica died or gave it up).
   */
  record: InteractionRecord;
  /** Cancel was asked: end it cancelled instead of running it. */
  cancelRequested: boolean;
}

export type ReplicaNotice =
  /** Events of `id` were written (by any replica). */
  | { kind: 'events'; id: string }
  /** Cancel of `id` was asked: the replica running it stops it. */
  | { kind: 'cancel'; id: string }
  /** `id` was deleted: a replica running it stops writing it. */
  | { kind: 'delete'; id: string }
  /** A background run waits for a slot: a replica with one claims it. */
  | { kind: 'queued' }
  /**
   * The notification connection was lost and is back: notices sent meanwhile were missed, so whoever waits
   * on one reads the store again.
   */
  | { kind: 'reconnected' };

export interface ReplicaStore {
  /** This replica's id: the holder of the leases it takes. */
  readonly replicaId: string;
  /** How long a lease holds without being renewed. */
  readonly leaseMs: number;

  /** Renew every lease this replica holds; returns the ids it still holds (any other was taken over). */
  renewLeases(): Promise<ReadonlySet<string>>;
  /**
   * Claim runs nobody holds — queued, or whose lease lapsed — oldest first, and take their leases.
   * `background: true` claims background runs (at most `limit`: the free slots); `false` claims the rest —
   * foreground runs whose replica died, and runs whose cancel was asked — which are ended, not run.
   */
  claimRuns(options: { background: boolean; limit: number }): Promise<ClaimedRun[]>;
  /** Claim `id` alone if nobody holds it (e.g. to cancel a queued run at once). */
  claimRun(id: string): Promise<ClaimedRun | undefined>;
  /** Give the lease of `id` back: the run is left for another replica to claim (shutdown hand-over). */
  releaseLease(id: string): Promise<void>;
  /**
   * Ask that `id` be cancelled, wherever it runs: marks it and notifies the replicas. False when it is not
   * queued or in progress.
   */
  requestCancel(id: string): Promise<boolean>;
  /** Announce a queued run to the replicas (one with a free slot claims it). */
  announceQueued(): Promise<void>;
  /**
   * Receive notices. Resolves once this replica listens: a notice sent after that is delivered. Returns the
   * function that stops listening.
   */
  listen(listener: (notice: ReplicaNotice) => void): Promise<() => void>;
}

/** Whether `store` coordinates replicas (it is shared by several processes). */
export function isReplicaStore(store: object): store is ReplicaStore {
  return typeof (store as Partial<ReplicaStore>).claimRuns === 'function';
}
