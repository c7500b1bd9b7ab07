/**
 * The store for several replicas: Postgres through `pg` (node-postgres, pure JavaScript). Every replica of a
 * deployment opens the same database (and schema); the rows are the same as the SQLite store's, so both
 * behave the same behind the `Store` contract.
 *
 * `pg` is imported when a store is opened, so a server on SQLite never loads it.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open({ url: 'postgres://interplay:secret@127.0.0.1:5432/interplay' });
 * const server = createInteractionsServer({ store });
 * ```
 */
import type { Item } from '@interplay/protocol';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { ancestry, chainHistory } from './chain-rows.ts';
import { decodePosition, encodePosition } from './page-tokens.ts';
import { listInteractionsPostgres } from './postgres-list.ts';
import { advisoryLockKey, checkSchemaName, migratePostgres } from './postgres-migrations.ts';
import {
  FILE_COLUMNS,
  fileParams,
  INTERACTION_COLUMNS,
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
  /** Connections this store keeps open at most (each replica has its own). Default 10. */
  poolSize?: number;
  /** Clock for expiry checks on reads (tests). */
  now?: () => number;
}

type Row = QueryResultRow;

/** A running interaction stays visible (and unswept) past its `expiresAt`, so its turn can finish. */
const RUNNING = "status IN ('queued', 'in_progress')";
const live = (at: string, alias = '') => `(${alias}expires_at >= ${at} OR ${alias}${RUNNING})`;

const CHAIN_COLUMNS = 'id, previous_id, depth, expires_at, input_json, output_json';

const SQL = {
  // Depth and chain root come from the previous interaction when it is stored; without one, the row is the
  // root of its own chain.
  insertInteraction: `INSERT INTO interactions (${INTERACTION_COLUMNS}, depth, root_id)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
              COALESCE(p.depth + 1, 0), COALESCE(p.root_id, $1)
         FROM (SELECT $12::text AS previous_id) AS w LEFT JOIN interactions p ON p.id = w.previous_id`,
  getInteraction: `SELECT ${INTERACTION_COLUMNS} FROM interactions
                    WHERE id = $1 AND owner IS NOT DISTINCT FROM $2 AND ${live('$3')}`,
  deleteInteraction: `DELETE FROM interactions
                       WHERE id = $1 AND owner IS NOT DISTINCT FROM $2 AND ${live('$3')}`,
  // The head, its root and the chain's continued turns up to the head's depth (interactions_by_chain: one
  // index range), in one round trip. Rows of other branches of the same root come along; `ancestry` keeps
  // the head's own. The LIMIT stops a root continued many times over from reading all its branches.
  chain: `WITH head AS (SELECT root_id, depth FROM interactions WHERE id = $1 AND ${live('$2')}),
       turns AS (
         SELECT ${CHAIN_COLUMNS.replace(/(\w+)/g, 'i.$1')} FROM interactions i, head
          WHERE i.root_id = head.root_id AND i.depth > 0 AND i.depth <= head.depth AND ${live('$2', 'i.')}
          ORDER BY i.depth LIMIT (SELECT 4 * depth + 64 FROM head))
       SELECT ${CHAIN_COLUMNS}, (SELECT depth FROM head) AS head_depth FROM turns
       UNION ALL
       SELECT ${CHAIN_COLUMNS.replace(/(\w+)/g, 'i.$1')}, head.depth FROM interactions i, head
        WHERE i.id = head.root_id AND i.depth = 0 AND ${live('$2', 'i.')}`,
  // Link by link (a root with many branches). `depth` strictly decreases toward the root, so a corrupt
  // previous_id loop cannot recurse forever.
  chainLinks: `WITH RECURSIVE chain AS (
         SELECT ${CHAIN_COLUMNS} FROM interactions WHERE id = $1 AND ${live('$2')}
         UNION ALL
         SELECT ${CHAIN_COLUMNS.replace(/(\w+)/g, 'i.$1')} FROM interactions i JOIN chain c ON i.id = c.previous_id
          WHERE i.depth < c.depth AND ${live('$2', 'i.')}
       )
       SELECT ${CHAIN_COLUMNS} FROM chain ORDER BY depth`,
  listUnfinished: `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE ${RUNNING} ORDER BY created, id`,
  expireInteractions: `DELETE FROM interactions WHERE expires_at < $1 AND NOT ${RUNNING}`,
  // Many rows in one statement and one parameter per column, however many events.
  insertEvents: `INSERT INTO events (interaction_id, seq, event_id, body_json)
       SELECT $1, $2::integer + e.ord::integer - 1, e.event_id, e.body_json
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS e (event_id, body_json, ord)`,
  listEvents: `SELECT seq, event_id, body_json FROM events WHERE interaction_id = $1 AND seq > $2
                ORDER BY seq LIMIT $3`,
  insertFile: `INSERT INTO files (${FILE_COLUMNS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  getFile: `SELECT ${FILE_COLUMNS} FROM files
             WHERE name = $1 AND owner IS NOT DISTINCT FROM $2 AND expires_at >= $3`,
  readFileData: `SELECT data FROM files WHERE name = $1 AND owner IS NOT DISTINCT FROM $2 AND expires_at >= $3`,
  deleteFile: `DELETE FROM files WHERE name = $1 AND owner IS NOT DISTINCT FROM $2 AND expires_at >= $3`,
} as const;

/** `owner = $n`, or `owner IS NULL` for open mode: the owner index serves only the first. */
const ownerIs = (owner: string | null, n: number): string =>
  owner === null ? 'owner IS NULL' : `owner = $${n}`;

export class PostgresStore implements Store {
  /** The schema the tables are in. */
  readonly schema: string;
  readonly #pool: Pool;
  readonly #now: () => number;
  readonly #where: { host: string; port: number; database: string };
  /** The last write of each interaction with writes in flight: one interaction's writes apply in call order. */
  readonly #writes = new Map<string, Promise<unknown>>();
  #closed = false;

  /** Connects, creates or upgrades the schema (safe when several replicas start at once), and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { url, schema, where } = splitSchema(options.url, options.schema);
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      application_name: 'interplay',
      // Every connection works in the store's schema, without a statement of its own.
      options: `-c search_path=${schema}`,
    });
    // An idle connection that breaks (the server restarted) is dropped from the pool; the next query opens one.
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      if (error instanceof StoreError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreError(
        'unavailable',
        `Could not connect to Postgres at ${where.host}:${where.port}/${where.database}: ${reason}`,
      );
    }
    return new PostgresStore(pool, schema, where, options.now ?? Date.now);
  }

  private constructor(
    pool: Pool,
    schema: string,
    where: { host: string; port: number; database: string },
    now: () => number,
  ) {
    this.#pool = pool;
    this.schema = schema;
    this.#where = where;
    this.#now = now;
  }

  /** Where the store is, for the startup log (no password). */
  describe(): { host: string; port: number; database: string; schema: string } {
    return { ...this.#where, schema: this.schema };
  }

  // ---- interactions ---------------------------------------------------------------------------

  async createInteraction(record: InteractionRecord): Promise<void> {
    const params = interactionParams(record);
    await this.#write(record.id, () => this.#query(SQL.insertInteraction, params));
  }

  async getInteraction(id: string, owner: string | null): Promise<InteractionRecord | undefined> {
    const { rows } = await this.#query(SQL.getInteraction, [id, owner, this.#now()]);
    return rows[0] && toInteraction(rows[0]);
  }

  async updateInteraction(id: string, patch: InteractionPatch): Promise<void> {
    this.#assertOpen();
    const update = updateStatement(patch);
    if (!update) return;
    await this.#write(id, () => this.#query(update.sql, [...update.params, id]));
  }

  /**
   * Write the end of an interaction in one transaction: the last `events` of its log (at `firstSeq`, …; none
   * is fine) and its final state. All or nothing; a `not_found` when the interaction is not stored.
   */
  async finishInteraction(
    id: string,
    final: InteractionPatch,
    events: readonly NewEvent[],
    firstSeq: number,
  ): Promise<void> {
    this.#assertOpen();
    const update = updateStatement(final);
    await this.#write(id, () =>
      this.#transaction(async (client) => {
        if (events.length > 0) await this.#query(SQL.insertEvents, eventParams(id, events, firstSeq), client);
        if (update) {
          const { rowCount } = await this.#query(update.sql, [...update.params, id], client);
          if (rowCount === 0) throw new StoreError('not_found', `Interaction '${id}' is not stored.`);
        }
      }),
    );
  }

  async deleteInteraction(id: string, owner: string | null): Promise<boolean> {
    const now = this.#now();
    // Events go with it (ON DELETE CASCADE).
    const { rowCount } = await this.#write(id, () => this.#query(SQL.deleteInteraction, [id, owner, now]));
    return (rowCount ?? 0) > 0;
  }

  async loadHistory(id: string): Promise<Item[]> {
    return (await this.loadChain(id)).items;
  }

  async loadChain(id: string): Promise<HistoryChain> {
    const now = this.#now();
    const { rows } = await this.#query(SQL.chain, [id, now]);
    let links: Row[] | undefined;
    if (rows.length > 0) {
      const depth = Number(rows[0]?.head_depth);
      const turns = rows.filter((row) => Number(row.depth) > 0).length;
      // The LIMIT was reached: a root continued many times over. Read link by link instead.
      if (turns < 4 * depth + 64) links = ancestry(id, rows);
    }
    links ??= (await this.#query(SQL.chainLinks, [id, now])).rows;
    return chainHistory(links);
  }

  async listInteractions(owner: string | null, query: InteractionQuery): Promise<InteractionPage> {
    return listInteractionsPostgres((sql, params) => this.#query(sql, params), owner, query, this.#now());
  }

  async listUnfinished(): Promise<InteractionRecord[]> {
    return (await this.#query(SQL.listUnfinished, [])).rows.map(toInteraction);
  }

  /**
   * Remove what expired before `now`. One replica sweeps at a time: a sweep takes an advisory lock for its
   * transaction, and a replica that finds it taken skips its turn (returns 0) instead of waiting to delete
   * rows the other is deleting.
   */
  async expire(now: number): Promise<number> {
    return this.#transaction(async (client) => {
      const { rows } = await this.#query(
        'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
        [advisoryLockKey('sweep', this.schema)],
        client,
      );
      if (rows[0]?.locked !== true) return 0;
      const { rowCount } = await this.#query(SQL.expireInteractions, [now], client);
      await this.#query('DELETE FROM files WHERE expires_at < $1', [now], client);
      return rowCount ?? 0;
    });
  }

  // ---- events ---------------------------------------------------------------------------------

  async appendEvents(id: string, events: readonly NewEvent[], firstSeq?: number): Promise<void> {
    this.#assertOpen();
    if (events.length === 0) return;
    if (firstSeq !== undefined) {
      // One statement: atomic on its own.
      await this.#write(id, () => this.#query(SQL.insertEvents, eventParams(id, events, firstSeq)));
      return;
    }
    await this.#write(id, () =>
      this.#transaction(async (client) => {
        // The row lock orders appenders of one interaction (other processes too): each reads the last seq
        // after the previous one committed.
        const locked = await this.#query('SELECT 1 FROM interactions WHERE id = $1 FOR UPDATE', [id], client);
        if (locked.rowCount === 0) throw new StoreError('not_found', `Interaction '${id}' is not stored.`);
        const { rows } = await this.#query(
          'SELECT COALESCE(MAX(seq), 0) AS last FROM events WHERE interaction_id = $1',
          [id],
          client,
        );
        await this.#query(SQL.insertEvents, eventParams(id, events, Number(rows[0]?.last) + 1), client);
      }),
    );
  }

  async listEvents(id: string, afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    const max = limit === undefined ? null : Math.max(0, Math.trunc(limit));
    return (await this.#query(SQL.listEvents, [id, afterSeq, max])).rows.map(toStoredEvent);
  }

  async hasEvent(id: string, seq: number): Promise<boolean> {
    const { rowCount } = await this.#query('SELECT 1 FROM events WHERE interaction_id = $1 AND seq = $2', [
      id,
      seq,
    ]);
    return (rowCount ?? 0) > 0;
  }

  // ---- files ----------------------------------------------------------------------------------

  async createFile(record: FileRecord, data: Uint8Array): Promise<void> {
    await this.#query(SQL.insertFile, [
      ...fileParams(record),
      Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    ]);
  }

  async getFile(name: string, owner: string | null): Promise<FileRecord | undefined> {
    const { rows } = await this.#query(SQL.getFile, [name, owner, this.#now()]);
    return rows[0] && toFile(rows[0]);
  }

  async readFileData(name: string, owner: string | null): Promise<Uint8Array | undefined> {
    const { rows } = await this.#query(SQL.readFileData, [name, owner, this.#now()]);
    const data = rows[0]?.data as Buffer | undefined;
    return data && new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  async updateFile(name: string, patch: Partial<Pick<FileRecord, 'state' | 'updated'>>): Promise<void> {
    await this.#query(
      'UPDATE files SET state = COALESCE($1, state), updated = COALESCE($2, updated) WHERE name = $3',
      [patch.state ?? null, patch.updated ?? null, name],
    );
  }

  async listFiles(
    owner: string | null,
    pageSize: number,
    pageToken?: string,
  ): Promise<{ files: FileRecord[]; nextPageToken?: string }> {
    const size = Math.max(1, Math.trunc(pageSize) || 1);
    const [created, name] = pageToken ? decodePosition(pageToken) : ['', ''];
    // One extra row tells whether another page exists.
    const { rows } = await this.#query(
      `SELECT ${FILE_COLUMNS} FROM files
        WHERE ${ownerIs(owner, 5)} AND expires_at >= $1 AND (created, name) > ($2, $3)
        ORDER BY created, name LIMIT $4`,
      [this.#now(), created, name, size + 1, ...(owner === null ? [] : [owner])],
    );
    const files = rows.slice(0, size).map(toFile);
    const last = files.at(-1);
    return rows.length > size && last
      ? { files, nextPageToken: encodePosition([last.created, last.name]) }
      : { files };
  }

  async deleteFile(name: string, owner: string | null): Promise<boolean> {
    const { rowCount } = await this.#query(SQL.deleteFile, [name, owner, this.#now()]);
    return (rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#writes.values()]);
    await this.#pool.end();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('closed', 'The store is closed');
  }

  /** One statement, on `client` or a pooled connection; database errors the runtime acts on become StoreErrors. */
  async #query(
    sql: string,
    params: readonly unknown[],
    client?: PoolClient,
  ): Promise<{ rows: Row[]; rowCount: number | null }> {
    this.#assertOpen();
    try {
      return await (client ?? this.#pool).query(sql, params as unknown[]);
    } catch (error) {
      throw storeError(error);
    }
  }

  /** `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async #transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    this.#assertOpen();
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw storeError(error);
    });
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw storeError(error);
    } finally {
      client.release();
    }
  }

  /**
   * Runs `write` after the writes of interaction `id` already issued: the pool would otherwise run them on
   * different connections in any order (an event batch before the row it belongs to).
   */
  #write<T>(id: string, write: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    const before = this.#writes.get(id);
    const result = before ? before.then(write, write) : write();
    const settled = result.then(
      () => {},
      () => {},
    );
    this.#writes.set(id, settled);
    void settled.then(() => {
      if (this.#writes.get(id) === settled) this.#writes.delete(id);
    });
    return result;
  }
}

/** The schema from the options or the URL's `schema` parameter (which `pg` must not see), checked. */
function splitSchema(
  url: string,
  schema: string | undefined,
): { url: string; schema: string; where: { host: string; port: number; database: string } } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('The Postgres URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TypeError(
      `The Postgres URL must start with postgres:// or postgresql://, got '${parsed.protocol}'`,
    );
  }
  const fromUrl = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return {
    url: parsed.toString(),
    schema: checkSchemaName(schema ?? fromUrl ?? 'public'),
    where: {
      host: decodeURIComponent(parsed.hostname) || 'localhost',
      port: Number(parsed.port || 5432),
      database: decodeURIComponent(parsed.pathname.slice(1)),
    },
  };
}

/** `UPDATE … SET` for the fields `patch` has (a key present with `undefined` clears it); none → undefined. */
function updateStatement(patch: InteractionPatch): { sql: string; params: unknown[] } | undefined {
  const keys = (Object.keys(patch) as (keyof InteractionPatch)[])
    .filter((k) => Object.hasOwn(INTERACTION_PATCH_COLUMNS, k))
    .sort();
  if (keys.length === 0) return undefined;
  const sets = keys.map((k) => INTERACTION_PATCH_COLUMNS[k](patch[k]));
  return {
    sql: `UPDATE interactions SET ${sets.map(([column], i) => `${column} = $${i + 1}`).join(', ')}
           WHERE id = $${sets.length + 1}`,
    params: sets.map(([, value]) => value),
  };
}

const eventParams = (id: string, events: readonly NewEvent[], firstSeq: number): unknown[] => [
  id,
  firstSeq,
  events.map((e) => e.eventId),
  events.map((e) => JSON.stringify(e.event)),
];

/** Maps Postgres errors the runtime acts on to StoreError codes (by SQLSTATE); others pass through. */
function storeError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // unique_violation: a row with that id (or an event at that seq) exists.
  if (code === '23505') return new StoreError('conflict', message);
  // foreign_key_violation: events for an interaction that is not stored.
  if (code === '23503') return new StoreError('not_found', message);
  return error;
}
