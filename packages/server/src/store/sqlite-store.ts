/**
 * The embedded store: one SQLite file (or `:memory:`) through `node:sqlite`. Synchronous underneath; the async
 * surface is the `Store` contract, so a Postgres store can replace it.
 */

import { DatabaseSync } from 'node:sqlite';
import type { Item } from '@interplay/protocol';
import { type AgentStore, SqliteAgentStore } from '../agents/custom/agent-store.ts';
import { ancestry, type ChainRow, chainHead, chainHistory, chainRow } from './chain-rows.ts';
import { EVENTS_PER_ROW, EventBatches } from './event-batches.ts';
import { listInteractions } from './interaction-list.ts';
import { CHAIN_ITEMS_SQL, migrate } from './migrations.ts';
import { atLeastOne, decodePosition, keysetPage } from './page-tokens.ts';
import {
  applyPatch,
  FILE_COLUMNS,
  fileParams,
  INTERACTION_COLUMNS,
  INTERACTION_PATCH_COLUMNS,
  interactionParams,
  toFile,
  toInteraction,
} from './rows.ts';
import { Statements, type StoreStats } from './statements.ts';
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
import { WriteQueue } from './write-queue.ts';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /**
   * When set, expired rows are swept on a timer this often (clamped to 1 s … 1 h). Without it, call `expire()`
   * yourself; expired rows are hidden from reads either way.
   */
  retentionMs?: number;
  /** How long a write waits for another connection's lock. Default 5 s. */
  busyTimeoutMs?: number;
  /**
   * How far an acknowledged write survives (docs/server/operations.md, "Durability"):
   * - `normal` (default): WAL with `synchronous=NORMAL`. A crash of the process loses nothing; a crash of the
   *   operating system or a power loss can lose the last commits (never corrupts the file).
   * - `full`: WAL with `synchronous=FULL`. Every commit is fsynced before it is acknowledged.
   */
  durability?: Durability;
  /** Clock for expiry checks on reads (tests). */
  now?: () => number;
}

export type Durability = 'normal' | 'full';

/** A running interaction stays visible (and unswept) past its `expiresAt`, so its turn can finish. */
const RUNNING = "status IN ('queued', 'in_progress')";
const live = (alias = '') => `(${alias}expires_at >= ? OR ${alias}${RUNNING})`;

/**
 * Statements whose text is built from parts, built once: a template with substitutions makes a new string on
 * every call, which the statement cache (keyed by text) would have to hash again each time.
 */
const SQL = {
  // Depth and chain root come from the previous interaction when it is stored (its root is NULL for a chain
  // begun before schema v4); without one, the row is the root of its own chain.
  insertInteraction: `INSERT INTO interactions (${INTERACTION_COLUMNS}, depth, root_id, events_json, event_count)
           SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                  COALESCE(p.depth + 1, 0), IIF(p.id IS NULL, ?, p.root_id), ?, ?
             FROM (SELECT ? AS previous_id) AS w LEFT JOIN interactions p ON p.id = w.previous_id`,
  getInteraction: `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE id = ? AND owner IS ? AND ${live()}`,
  deleteInteraction: `DELETE FROM interactions WHERE id = ? AND owner IS ? AND ${live()}`,
  chainHead: `SELECT root_id, depth, owner, status FROM interactions WHERE id = ? AND ${live()}`,
  // The continued turns of a chain, in order, from the covering index (migrations.ts, v4 and v12); the root is
  // read apart (first turns are not in that index). Rows of other branches of the same root come along: the
  // walk in `loadChain` keeps the head's own ancestors. The limit is `? + 0`, not `?`: SQLite's planner reads
  // a bare bound LIMIT, which marks the statement to be compiled again whenever it is bound — at every read
  // (~70–140 k instructions a turn, counted with callgrind).
  chainTurns: `SELECT id, previous_id, depth, expires_at, ${CHAIN_ITEMS_SQL}
                 FROM interactions INDEXED BY interactions_by_chain
                WHERE root_id = ? AND depth > 0 AND depth <= ? AND ${live()}
                ORDER BY depth LIMIT ? + 0`,
  chainRoot: `SELECT id, previous_id, depth, expires_at, ${CHAIN_ITEMS_SQL}
                FROM interactions WHERE id = ? AND depth = 0 AND ${live()}`,
  // Link by link, for chains begun before v4 (no root) and for roots with many branches. `depth` strictly
  // decreases toward the root, so a corrupt previous_id loop cannot recurse forever.
  chainLinks: `WITH RECURSIVE chain (id, previous_id, depth, expires_at, input_json, output_json) AS (
         SELECT id, previous_id, depth, expires_at, input_json, output_json
           FROM interactions WHERE id = ? AND ${live()}
         UNION ALL
         SELECT i.id, i.previous_id, i.depth, i.expires_at, i.input_json, i.output_json
           FROM interactions i JOIN chain c ON i.id = c.previous_id
          WHERE i.depth < c.depth AND ${live('i.')}
       )
       SELECT id, previous_id, depth, expires_at, ${CHAIN_ITEMS_SQL} FROM chain ORDER BY depth`,
  listUnfinished: `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE ${RUNNING} ORDER BY created, id`,
  expireInteractions: `DELETE FROM interactions WHERE expires_at < ? AND NOT ${RUNNING}`,
  insertFile: `INSERT INTO files (${FILE_COLUMNS}, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  getFile: `SELECT ${FILE_COLUMNS} FROM files WHERE name = ? AND owner IS ? AND expires_at >= ?`,
  // `? + 0` as in chainTurns: a bare bound LIMIT would recompile the statement at every page.
  listFiles: `SELECT ${FILE_COLUMNS} FROM files
        WHERE owner IS ? AND expires_at >= ? AND (created, name) > (?, ?)
        ORDER BY created, name LIMIT ? + 0`,
} as const;

export class SqliteStore implements Store {
  readonly path: string;
  readonly agents: AgentStore;
  readonly #sql: Statements;
  /** Writes of one event-loop turn share a transaction (group commit). */
  readonly #writes: WriteQueue;
  readonly #events: EventBatches;
  /**
   * Rows queued for the next group commit, by id. A run that ends before its row is written (a model that
   * answers at once) has its final state and its log merged into the queued row: one INSERT of the finished
   * row with its events (event-batches.ts) instead of an INSERT, an events INSERT and an UPDATE in the same
   * commit. Same path, same commit, two statements fewer.
   */
  readonly #unwrittenRows = new Map<string, UnwrittenRow>();
  readonly #now: () => number;
  #sweeper: NodeJS.Timeout | undefined;

  static open(options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(options);
  }

  private constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.#now = options.now ?? Date.now;
    const db = new DatabaseSync(options.path, { enableForeignKeyConstraints: true });
    this.#sql = new Statements(db);
    this.#writes = new WriteQueue(this.#sql);
    this.#events = new EventBatches(this.#sql);
    try {
      // busy_timeout first: switching to WAL needs a lock another process may hold.
      this.#sql.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      this.#sql.exec('PRAGMA journal_mode = WAL');
      const durability = options.durability ?? 'normal';
      if (durability !== 'normal' && durability !== 'full') {
        throw new TypeError(`durability must be 'normal' or 'full', got '${String(durability)}'`);
      }
      this.#sql.exec(`PRAGMA synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
      this.#sql.exec('PRAGMA foreign_keys = ON');
      migrate(this.#sql);
      this.agents = new SqliteAgentStore(this.#sql);
    } catch (error) {
      this.#sql.close();
      throw error;
    }
    if (options.retentionMs !== undefined) {
      const every = Math.min(Math.max(options.retentionMs, 1000), 3_600_000);
      this.#sweeper = setInterval(() => {
        try {
          this.#expire(Date.now());
        } catch {
          // A busy or closed database: the next sweep tries again.
        }
      }, every);
      this.#sweeper.unref();
    }
  }

  /** What SQLite reports it is doing (for the startup log and operators): journal mode and sync level. */
  settings(): { journalMode: string; synchronous: 'off' | 'normal' | 'full' | 'extra' } {
    this.#sql.assertOpen();
    const journal = this.#sql.get('PRAGMA journal_mode') as { journal_mode: string };
    const sync = this.#sql.get('PRAGMA synchronous') as { synchronous: number };
    const levels = ['off', 'normal', 'full', 'extra'] as const;
    return { journalMode: journal.journal_mode, synchronous: levels[sync.synchronous] ?? 'off' };
  }

  /** The database's statements, for the stores of other resources kept in it (webhooks/sqlite-webhook-store.ts). */
  get sql(): Statements {
    return this.#sql;
  }

  /** Statement executions since open; see statements.ts. */
  get stats(): Readonly<StoreStats> {
    return this.#sql.stats;
  }

  // ---- interactions ---------------------------------------------------------------------------

  async createInteraction(record: InteractionRecord): Promise<void> {
    this.#sql.assertOpen();
    const id = record.id;
    const row: UnwrittenRow = { record: { ...record }, written: undefined };
    // (A second create of a queued id conflicts at its INSERT; only the first may take an end.)
    if (!this.#unwrittenRows.has(id)) this.#unwrittenRows.set(id, row);
    row.written = this.#writes.enqueue(() => {
      if (this.#unwrittenRows.get(id) === row) this.#unwrittenRows.delete(id);
      // The row as it stands when the commit runs: with its end and log, when those came first.
      const params = interactionParams(row.record);
      const log = EventBatches.rowColumns(row.events, row.record);
      params.push(id, log[0], log[1], row.record.previousId ?? null);
      guard(() => this.#sql.run(SQL.insertInteraction, ...params));
    });
    await row.written;
  }

  async getInteraction(id: string, owner: string | null): Promise<InteractionRecord | undefined> {
    const row = this.#sql.get(SQL.getInteraction, id, owner, this.#now());
    return row && toInteraction(row);
  }

  async finishInteraction(
    id: string,
    final: InteractionPatch,
    events: readonly NewEvent[],
    firstSeq: number,
  ): Promise<void> {
    this.#sql.assertOpen();
    const unwritten = this.#unwrittenRows.get(id);
    if (unwritten) {
      this.#unwrittenRows.delete(id);
      applyPatch(unwritten.record, final);
      if (EventBatches.fitsRow(events, firstSeq)) {
        // Written by the row's INSERT: stored when it is, refused when it is.
        unwritten.events = events;
        await unwritten.written;
        return;
      }
      // Queued after the row's INSERT, so its events follow the row in the same commit.
      await this.#writes.enqueue(() =>
        guard(() => {
          if (events.length > 0) this.#events.insert(id, events, firstSeq);
          else if (!this.#sql.get('SELECT 1 AS found FROM interactions WHERE id = ?', id)) {
            throw new StoreError('not_found', `Interaction '${id}' is not stored.`);
          }
        }),
      );
      return;
    }
    const keys = (Object.keys(final) as (keyof InteractionPatch)[])
      .filter((k) => Object.hasOwn(INTERACTION_PATCH_COLUMNS, k))
      .sort();
    const sets = keys.map((k) => INTERACTION_PATCH_COLUMNS[k](final[k]));
    // Cached per distinct set of keys (a handful in practice).
    const update = `UPDATE interactions SET ${sets.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`;
    const params = [...sets.map(([, value]) => value), id];
    await this.#writes.enqueue(() =>
      guard(() =>
        this.#sql.transaction(() => {
          if (events.length > 0) this.#events.insert(id, events, firstSeq);
          if (sets.length > 0 && this.#sql.run(update, ...params) === 0) {
            throw new StoreError('not_found', `Interaction '${id}' is not stored.`);
          }
        }),
      ),
    );
  }

  async deleteInteraction(id: string, owner: string | null): Promise<boolean> {
    this.#sql.assertOpen();
    const now = this.#now();
    // Events go with it (ON DELETE CASCADE).
    const removed = await this.#writes.enqueue(() => this.#sql.run(SQL.deleteInteraction, id, owner, now));
    return removed > 0;
  }

  async loadHistory(id: string): Promise<Item[]> {
    return (await this.loadChain(id)).items;
  }

  async loadChain(id: string): Promise<HistoryChain> {
    const now = this.#now();
    const head = this.#sql.get(SQL.chainHead, id, now);
    if (!head) return { items: [], ids: [], expiresAt: Number.POSITIVE_INFINITY, bytes: 0 };
    const depth = Number(head.depth);
    let links: ChainRow[] | undefined;
    if (head.root_id != null) {
      // More rows than a few branches' worth: a root continued many times over; read link by link instead.
      const limit = 4 * depth + 64;
      const turns = this.#sql
        .allArrays(SQL.chainTurns, head.root_id as string, depth, now, limit)
        .map(chainRow);
      if (turns.length < limit) {
        const root = this.#sql.allArrays(SQL.chainRoot, head.root_id as string, now).map(chainRow);
        links = ancestry(id, root.length > 0 ? root.concat(turns) : turns);
      }
    }
    links ??= this.#sql.allArrays(SQL.chainLinks, id, now, now).map(chainRow);
    return chainHistory(links, chainHead(head));
  }

  async listInteractions(owner: string | null, query: InteractionQuery): Promise<InteractionPage> {
    return listInteractions(this.#sql, owner, query, this.#now());
  }

  async listUnfinished(): Promise<InteractionRecord[]> {
    return this.#sql.all(SQL.listUnfinished).map(toInteraction);
  }

  async expire(now: number): Promise<number> {
    return this.#expire(now);
  }

  #expire(now: number): number {
    return this.#sql.transaction(() => {
      const removed = this.#sql.run(SQL.expireInteractions, now);
      this.#sql.run('DELETE FROM files WHERE expires_at < ?', now);
      return removed;
    });
  }

  // ---- events ---------------------------------------------------------------------------------

  async appendEvents(id: string, events: readonly NewEvent[], firstSeq?: number): Promise<void> {
    this.#sql.assertOpen();
    if (events.length === 0) return;
    // One row is atomic on its own; more rows, or the seq lookup, need a transaction.
    const write =
      firstSeq !== undefined && events.length <= EVENTS_PER_ROW
        ? () => this.#events.insert(id, events, firstSeq)
        : () =>
            this.#sql.transaction(() => {
              this.#events.insert(id, events, firstSeq ?? this.#events.lastSeq(id) + 1);
            });
    await this.#writes.enqueue(() => guard(write));
  }

  async listEvents(id: string, afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    return this.#events.list(id, afterSeq, limit);
  }

  async hasEvent(id: string, seq: number): Promise<boolean> {
    return this.#events.has(id, seq);
  }

  // ---- files ----------------------------------------------------------------------------------

  async createFile(record: FileRecord, data: Uint8Array): Promise<void> {
    guard(() => this.#sql.run(SQL.insertFile, ...fileParams(record), data));
  }

  async getFile(name: string, owner: string | null): Promise<FileRecord | undefined> {
    const row = this.#sql.get(SQL.getFile, name, owner, this.#now());
    return row && toFile(row);
  }

  async readFileData(name: string, owner: string | null): Promise<Uint8Array | undefined> {
    const row = this.#sql.get(
      'SELECT data FROM files WHERE name = ? AND owner IS ? AND expires_at >= ?',
      name,
      owner,
      this.#now(),
    );
    return row ? (row.data as Uint8Array) : undefined;
  }

  async updateFile(
    name: string,
    owner: string | null,
    patch: Partial<Pick<FileRecord, 'state' | 'updated'>>,
  ): Promise<void> {
    this.#sql.run(
      'UPDATE files SET state = COALESCE(?, state), updated = COALESCE(?, updated) WHERE name = ? AND owner IS ?',
      patch.state ?? null,
      patch.updated ?? null,
      name,
      owner,
    );
  }

  async listFiles(
    owner: string | null,
    pageSize: number,
    pageToken?: string,
  ): Promise<{ files: FileRecord[]; nextPageToken?: string }> {
    const size = atLeastOne(pageSize);
    const [created, name] = pageToken ? decodePosition(pageToken) : ['', ''];
    // One extra row tells whether another page exists.
    const rows = this.#sql.all(SQL.listFiles, owner, this.#now(), created, name, size + 1);
    const { items: files, nextPageToken } = keysetPage(rows, size, toFile, (f) => [f.created, f.name]);
    return nextPageToken === undefined ? { files } : { files, nextPageToken };
  }

  async deleteFile(name: string, owner: string | null): Promise<boolean> {
    return (
      this.#sql.run(
        'DELETE FROM files WHERE name = ? AND owner IS ? AND expires_at >= ?',
        name,
        owner,
        this.#now(),
      ) > 0
    );
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    if (!this.#sql.closed) this.#writes.drain();
    this.#sql.close();
  }
}

/** A row queued for the next group commit: what it will be written as, and the promise of that write. */
interface UnwrittenRow {
  record: InteractionRecord;
  /** Its whole log, seqs 1 …, when its end came before the commit. */
  events?: readonly NewEvent[];
  written: Promise<void> | undefined;
}

/** Maps SQLite constraint failures to StoreError codes the runtime can act on. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { errcode?: number }).errcode;
    const message = error instanceof Error ? error.message : String(error);
    // SQLITE_CONSTRAINT_PRIMARYKEY / _UNIQUE
    if (code === 1555 || code === 2067) throw new StoreError('conflict', message);
    // SQLITE_CONSTRAINT_FOREIGNKEY: events for an interaction that is not stored.
    if (code === 787) throw new StoreError('not_found', message);
    throw error;
  }
}
