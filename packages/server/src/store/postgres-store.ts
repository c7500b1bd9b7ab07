/**
 * The store for several replicas: Postgres through `pg` (node-postgres, pure JavaScript). Every replica of a
 * deployment opens the same database (and schema) with a store of its own; the rows are the SQLite store's,
 * so both behave the same behind the `Store` contract. It also coordinates the replicas (replica-store.ts):
 * leases on running interactions, claims, cancel requests, notifications.
 *
 * `pg` is imported when a store is opened, so a server on SQLite never loads it.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open({ url: 'postgres://interplay:secret@127.0.0.1:5432/interplay' });
 * const server = createInteractionsServer({ store });
 * ```
 */

import { randomBytes } from 'node:crypto';
import type { Item } from '@interplay/protocol';
import type { PoolClient } from 'pg';
import type { AgentStore } from '../agents/custom/agent-store.ts';
import type { UploadSessionStore } from '../files/upload.ts';
import { eventIdFor } from '../runtime/ids.ts';
import {
  PostgresWebhookStore,
  type PostgresWebhookStoreOptions,
} from '../webhooks/postgres-webhook-store.ts';
import { ancestry, type ChainRow, chainHead, chainHistory, turnItems } from './chain-rows.ts';
import { atLeastOne, decodePosition, keysetPage } from './page-tokens.ts';
import { PostgresAgentStore } from './postgres-agents.ts';
import { PgDatabase, type PgLocation, type Row } from './postgres-database.ts';
import { listInteractionsPostgres } from './postgres-list.ts';
import { advisoryLockKey } from './postgres-migrations.ts';
import { notificationChannel, PostgresNotifications } from './postgres-notifications.ts';
import { finishInteractionSql, listFilesSql, SQL } from './postgres-sql.ts';
import { PostgresUploadSessions } from './postgres-uploads.ts';
import type { ClaimedRun, ReplicaNotice, ReplicaStore } from './replica-store.ts';
import {
  fileParams,
  INTERACTION_PATCH_COLUMNS,
  interactionParams,
  toFile,
  toInteraction,
  toStoredEvent,
} from './rows.ts';
import type {
  FileRecord,
  HistoryChain,
  InteractionPage,
  InteractionPatch,
  InteractionQuery,
  InteractionRecord,
  NewEvent,
  Store,
  StoredEvent,
} from './store.ts';
import { StoreError } from './store.ts';

export interface PostgresStoreOptions {
  /**
   * `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (libpq's URL form; `?sslmode=require` and the other
   * parameters `pg` knows apply). A `schema` parameter names the schema the tables live in (default
   * `public`); it is created if missing.
   */
  url: string;
  /** The schema, when not given in the URL. */
  schema?: string;
  /** Connections this store keeps open at most (each replica has its own pool). Default 10. */
  poolSize?: number;
  /** This replica's id (holder of its leases). Default: random, new for each process. */
  replicaId?: string;
  /** How long a lease on a running interaction holds without renewal. Default 30 s. */
  leaseMs?: number;
  /** Clock for expiry checks on reads (tests). */
  now?: () => number;
}

export const DEFAULT_LEASE_MS = 30_000;

export class PostgresStore implements Store, ReplicaStore {
  readonly replicaId: string;
  readonly leaseMs: number;
  /** Custom agents, in the database every replica reads. */
  readonly agents: AgentStore;
  readonly #db: PgDatabase;
  readonly #channel: string;
  readonly #notifications: PostgresNotifications;
  readonly #now: () => number;

  /** Connects, creates or upgrades the schema (safe when several replicas start at once), and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!Number.isFinite(leaseMs) || leaseMs < 1000) {
      throw new TypeError(`leaseMs must be at least 1000 (1 s), got ${leaseMs}`);
    }
    const db = await PgDatabase.open(options);
    const { default: pg } = await import('pg');
    return new PostgresStore(db, {
      replicaId: options.replicaId ?? `r_${randomBytes(6).toString('hex')}`,
      leaseMs,
      now: options.now ?? Date.now,
      makeClient: (config) => new pg.Client(config),
    });
  }

  private constructor(
    db: PgDatabase,
    o: {
      replicaId: string;
      leaseMs: number;
      now: () => number;
      makeClient: ConstructorParameters<typeof PostgresNotifications>[2];
    },
  ) {
    this.#db = db;
    this.agents = new PostgresAgentStore(db);
    this.replicaId = o.replicaId;
    this.leaseMs = o.leaseMs;
    this.#now = o.now;
    this.#channel = notificationChannel(db.location.schema);
    this.#notifications = new PostgresNotifications(db.clientConfig, this.#channel, o.makeClient);
  }

  /** The schema the tables are in. */
  get schema(): string {
    return this.#db.location.schema;
  }

  /** Resumable uploads kept in the database, so any replica takes any chunk of one. */
  uploadSessions(): UploadSessionStore {
    return new PostgresUploadSessions(this.#db, this.#now);
  }

  /** The webhooks and their delivery queue, in the database every replica sends from. */
  webhookStore(options?: PostgresWebhookStoreOptions): PostgresWebhookStore {
    return new PostgresWebhookStore(this.#db, options);
  }

  /** Where the store is, for the startup log (no password). */
  describe(): PgLocation {
    return { ...this.#db.location };
  }

  // ---- interactions ---------------------------------------------------------------------------

  async createInteraction(record: InteractionRecord): Promise<void> {
    const params = [...interactionParams(record), this.replicaId, this.leaseMs];
    await this.#db.serial(record.id, () => this.#db.query(SQL.insertInteraction, params));
  }

  async getInteraction(id: string, owner: string | null): Promise<InteractionRecord | undefined> {
    const { rows } = await this.#db.query(SQL.getInteraction, [id, owner, this.#now()]);
    return rows[0] && toInteraction(rows[0]);
  }

  /**
   * Write the end of an interaction in one transaction: its final state (giving its lease back) and the last
   * `events` of its log (at `firstSeq`, …; none is fine). All or nothing; a `not_found` when it is not
   * stored, a `lease_lost` when another replica runs it now.
   */
  async finishInteraction(
    id: string,
    final: InteractionPatch,
    events: readonly NewEvent[],
    firstSeq: number,
  ): Promise<void> {
    this.#db.assertOpen();
    const sets = patchColumns(final);
    const sql = finishInteractionSql(sets.map(([column]) => column));
    await this.#db.serial(id, async () => {
      const { rows } = await this.#db.query(sql, [
        ...sets.map(([, v]) => v),
        this.replicaId,
        id,
        firstSeq,
        events.map((_, i) => eventIdFor(firstSeq + i)),
        events.map((e) => JSON.stringify(e.event)),
        this.#channel,
      ]);
      if (Number(rows[0]?.finished) === 0) await this.#refused(id, { missingIsError: true });
    });
  }

  async deleteInteraction(id: string, owner: string | null): Promise<boolean> {
    const now = this.#now();
    // Events go with it (ON DELETE CASCADE); the replica running it hears of it (and stops writing it).
    const { rowCount } = await this.#db.serial(id, () =>
      this.#db.query(SQL.deleteInteraction, [id, owner, now, this.#channel]),
    );
    return rowCount > 0;
  }

  async loadHistory(id: string): Promise<Item[]> {
    return (await this.loadChain(id)).items;
  }

  async loadChain(id: string): Promise<HistoryChain> {
    const now = this.#now();
    const rows = (await this.#db.query(SQL.chain, [id, now])).rows.map(withItems);
    let links: ChainRow[] | undefined;
    if (rows.length > 0) {
      const depth = Number(rows[0]?.head_depth);
      const turns = rows.filter((row) => Number(row.depth) > 0).length;
      // Below the LIMIT: every turn up to the head came along. At it, a root continued many times over: read
      // link by link instead.
      if (turns < 4 * depth + 64) links = ancestry(id, rows);
    }
    links ??= (await this.#db.query(SQL.chainLinks, [id, now])).rows.map(withItems);
    const head = links.at(-1);
    return chainHistory(links, head?.id === id ? chainHead(head) : undefined);
  }

  async listInteractions(owner: string | null, query: InteractionQuery): Promise<InteractionPage> {
    return listInteractionsPostgres((sql, params) => this.#db.query(sql, params), owner, query, this.#now());
  }

  async listUnfinished(): Promise<InteractionRecord[]> {
    return (await this.#db.query(SQL.listUnfinished, [])).rows.map(toInteraction);
  }

  /**
   * Remove what expired before `now`. One replica sweeps at a time: a sweep takes an advisory lock for its
   * transaction, and a replica that finds it taken skips its turn (returns 0) instead of waiting to delete
   * rows the other is deleting.
   */
  async expire(now: number): Promise<number> {
    return this.#db.transaction(async (client) => {
      const { rows } = await this.#db.query(
        'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
        [advisoryLockKey('sweep', this.schema)],
        client,
      );
      if (rows[0]?.locked !== true) return 0;
      const { rowCount } = await this.#db.query(SQL.expireInteractions, [now], client);
      await this.#db.query(SQL.expireFiles, [now], client);
      return rowCount;
    });
  }

  // ---- events ---------------------------------------------------------------------------------

  async appendEvents(id: string, events: readonly NewEvent[], firstSeq?: number): Promise<void> {
    this.#db.assertOpen();
    if (events.length === 0) return;
    if (firstSeq !== undefined) {
      // One statement: atomic on its own.
      await this.#db.serial(id, () => this.#insertEvents(id, events, firstSeq));
      return;
    }
    await this.#db.serial(id, () =>
      this.#db.transaction(async (client) => {
        // The row lock orders appenders of one interaction (other processes too): each reads the last seq
        // after the previous one committed.
        const { rows } = await this.#db.query(SQL.lockForAppend, [id], client);
        if (rows.length === 0) throw new StoreError('not_found', `Interaction '${id}' is not stored.`);
        const holder = rows[0]?.lease_owner;
        if (holder != null && holder !== this.replicaId) throw leaseLost(id);
        const last = await this.#db.query(SQL.lastSeq, [id], client);
        await this.#insertEvents(id, events, Number(last.rows[0]?.last) + 1, client);
      }),
    );
  }

  async listEvents(id: string, afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    const max = limit === undefined ? null : Math.max(0, Math.trunc(limit));
    return (await this.#db.query(SQL.listEvents, [id, afterSeq, max])).rows.map(toStoredEvent);
  }

  async hasEvent(id: string, seq: number): Promise<boolean> {
    return (await this.#db.query(SQL.hasEvent, [id, seq])).rowCount > 0;
  }

  /** `events` at `firstSeq`, … in one statement, if this replica may write `id`; notifies the replicas. */
  async #insertEvents(
    id: string,
    events: readonly NewEvent[],
    firstSeq: number,
    client?: PoolClient,
  ): Promise<void> {
    const { rows } = await this.#db.query(
      SQL.appendEvents,
      [
        id,
        firstSeq,
        events.map((_, i) => eventIdFor(firstSeq + i)),
        events.map((e) => JSON.stringify(e.event)),
        this.replicaId,
        this.#channel,
      ],
      client,
    );
    if (Number(rows[0]?.written) === 0) await this.#refused(id, { missingIsError: true }, client);
  }

  /** A write to `id` changed nothing: throws why — not stored (unless that is fine), or leased elsewhere. */
  async #refused(id: string, o: { missingIsError: boolean }, client?: PoolClient): Promise<void> {
    const { rows } = await this.#db.query(SQL.leaseOf, [id], client);
    if (rows.length === 0) {
      if (o.missingIsError) throw new StoreError('not_found', `Interaction '${id}' is not stored.`);
      return;
    }
    throw leaseLost(id);
  }

  // ---- replicas (replica-store.ts) ------------------------------------------------------------

  async renewLeases(): Promise<ReadonlySet<string>> {
    const { rows } = await this.#db.query(SQL.renewLeases, [this.replicaId, this.leaseMs]);
    return new Set(rows.map((row) => String(row.id)));
  }

  async claimRuns(options: { background: boolean; limit: number }): Promise<ClaimedRun[]> {
    const limit = Math.max(0, Math.trunc(options.limit));
    if (limit === 0) return [];
    return this.#claim(limit, null, options.background);
  }

  async claimRun(id: string): Promise<ClaimedRun | undefined> {
    return (await this.#claim(1, id, false))[0];
  }

  async #claim(limit: number, id: string | null, background: boolean): Promise<ClaimedRun[]> {
    const { rows } = await this.#db.query(SQL.claimRuns, [
      this.replicaId,
      this.leaseMs,
      limit,
      id,
      background,
    ]);
    return rows.map((row) => ({
      // As it was when claimed: a queued run claimed to be run is `in_progress` in the store from now on.
      record: { ...toInteraction(row), status: String(row.was) as InteractionRecord['status'] },
      cancelRequested: row.cancel_requested === 1,
    }));
  }

  async releaseLease(id: string): Promise<void> {
    await this.#db.serial(id, () => this.#db.query(SQL.releaseLease, [id, this.replicaId, this.#channel]));
  }

  async requestCancel(id: string): Promise<boolean> {
    return (await this.#db.query(SQL.requestCancel, [id, this.#channel])).rowCount > 0;
  }

  async announceQueued(): Promise<void> {
    await this.#db.query(SQL.announceQueued, [this.#channel]);
  }

  listen(listener: (notice: ReplicaNotice) => void): Promise<() => void> {
    this.#db.assertOpen();
    return this.#notifications.listen(listener);
  }

  // ---- files ----------------------------------------------------------------------------------

  async createFile(record: FileRecord, data: Uint8Array): Promise<void> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.#db.query(SQL.insertFile, [...fileParams(record), bytes]);
  }

  async getFile(name: string, owner: string | null): Promise<FileRecord | undefined> {
    const { rows } = await this.#db.query(SQL.getFile, [name, owner, this.#now()]);
    return rows[0] && toFile(rows[0]);
  }

  async readFileData(name: string, owner: string | null): Promise<Uint8Array | undefined> {
    const { rows } = await this.#db.query(SQL.readFileData, [name, owner, this.#now()]);
    const data = rows[0]?.data as Buffer | undefined;
    return data && new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  async updateFile(
    name: string,
    owner: string | null,
    patch: Partial<Pick<FileRecord, 'state' | 'updated'>>,
  ): Promise<void> {
    await this.#db.query(SQL.updateFile, [patch.state ?? null, patch.updated ?? null, name, owner]);
  }

  async listFiles(
    owner: string | null,
    pageSize: number,
    pageToken?: string,
  ): Promise<{ files: FileRecord[]; nextPageToken?: string }> {
    const size = atLeastOne(pageSize);
    const [created, name] = pageToken ? decodePosition(pageToken) : ['', ''];
    // One extra row tells whether another page exists.
    const { rows } = await this.#db.query(listFilesSql(owner === null), [
      this.#now(),
      created,
      name,
      size + 1,
      ...(owner === null ? [] : [owner]),
    ]);
    const { items: files, nextPageToken } = keysetPage(rows, size, toFile, (f) => [f.created, f.name]);
    return nextPageToken === undefined ? { files } : { files, nextPageToken };
  }

  async deleteFile(name: string, owner: string | null): Promise<boolean> {
    return (await this.#db.query(SQL.deleteFile, [name, owner, this.#now()])).rowCount > 0;
  }

  async close(): Promise<void> {
    await this.#notifications.close();
    await this.#db.close();
  }
}

/** The columns and values a patch sets (a key present with `undefined` clears that field), in column order. */
function patchColumns(patch: InteractionPatch): [string, unknown][] {
  return (Object.keys(patch) as (keyof InteractionPatch)[])
    .filter((k) => Object.hasOwn(INTERACTION_PATCH_COLUMNS, k))
    .sort()
    .map((k) => INTERACTION_PATCH_COLUMNS[k](patch[k]));
}

const leaseLost = (id: string): StoreError =>
  new StoreError(
    'lease_lost',
    `Interaction '${id}' is run by another replica now: this replica's lease on it lapsed and was taken over.`,
  );

/** A chain row as the Postgres store reads it (both JSON columns), with the items a chain read splices. */
const withItems = (row: Row): ChainRow => ({
  ...row,
  items: turnItems(String(row.input_json), String(row.output_json)),
});
