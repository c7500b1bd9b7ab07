/**
 * The Postgres store's connections: a `pg` pool working in the store's schema, statements with the errors the
 * runtime acts on turned into StoreErrors, transactions, and one interaction's writes kept in call order.
 */
import type { ClientConfig, Pool, PoolClient, QueryResultRow } from 'pg';
import { checkSchemaName, migratePostgres } from './postgres-migrations.ts';
import { StoreError } from './store.ts';

export type Row = QueryResultRow;

/** Where a store is, for logs (no password). */
export interface PgLocation {
  host: string;
  port: number;
  database: string;
  schema: string;
}

export class PgDatabase {
  readonly location: PgLocation;
  /** How to open one more connection like the pool's (the notification listener's own). */
  readonly clientConfig: ClientConfig;
  readonly #pool: Pool;
  /** The last write of each key with writes in flight. */
  readonly #writes = new Map<string, Promise<unknown>>();
  #closed = false;

  /** Connects and creates or upgrades the schema (safe when several replicas start at once). */
  static async open(options: { url: string; schema?: string; poolSize?: number }): Promise<PgDatabase> {
    const { url, location } = parseUrl(options.url, options.schema);
    const { default: pg } = await import('pg');
    const clientConfig: ClientConfig = {
      connectionString: url,
      application_name: 'interplay',
      // Every connection works in the store's schema, without a statement of its own.
      options: `-c search_path=${location.schema}`,
    };
    const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
    // An idle connection that breaks (the server restarted) leaves the pool; the next query opens another.
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, location.schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      if (error instanceof StoreError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreError(
        'unavailable',
        `Could not connect to Postgres at ${location.host}:${location.port}/${location.database}: ${reason}`,
      );
    }
    return new PgDatabase(pool, location, clientConfig);
  }

  private constructor(pool: Pool, location: PgLocation, clientConfig: ClientConfig) {
    this.#pool = pool;
    this.location = location;
    this.clientConfig = clientConfig;
  }

  assertOpen(): void {
    if (this.#closed) throw new StoreError('closed', 'The store is closed');
  }

  /** One statement, on `client` or a pooled connection. */
  async query(
    sql: string,
    params: readonly unknown[],
    client?: PoolClient,
  ): Promise<{ rows: Row[]; rowCount: number }> {
    this.assertOpen();
    try {
      const result = await (client ?? this.#pool).query(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw storeError(error);
    }
  }

  /** `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    this.assertOpen();
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
   * Runs `write` after the writes of `key` (an interaction id) already issued: the pool would otherwise run
   * them on different connections in any order (an event batch before the row it belongs to).
   */
  serial<T>(key: string, write: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const before = this.#writes.get(key);
    const result = before ? before.then(write) : write();
    const settled = result.then(
      () => {},
      () => {},
    );
    this.#writes.set(key, settled);
    void settled.then(() => {
      if (this.#writes.get(key) === settled) this.#writes.delete(key);
    });
    return result;
  }

  /** Lets the writes in flight finish, then closes every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#writes.values()]);
    await this.#pool.end();
  }
}

/** The URL without our `schema` parameter (which `pg` must not see), and where it points. */
function parseUrl(url: string, schema: string | undefined): { url: string; location: PgLocation } {
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
    location: {
      host: decodeURIComponent(parsed.hostname) || 'localhost',
      port: Number(parsed.port || 5432),
      database: decodeURIComponent(parsed.pathname.slice(1)),
      schema: checkSchemaName(schema ?? fromUrl ?? 'public'),
    },
  };
}

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
