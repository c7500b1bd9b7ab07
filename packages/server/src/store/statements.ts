/**
 * The one door to the database: every statement goes through `run`/`get`/`all`/`exec`, so statements are
 * prepared once (cached by SQL text) and counted in `stats` (the benchmarks report statements per request).
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { StoreError } from './store.ts';

export type Row = Record<string, unknown>;

export interface StoreStats {
  /** Statements executed since open (including BEGIN/COMMIT). */
  statements: number;
  /**
   * Write transactions committed since open: each `transaction()` that committed, plus each `run()` statement
   * outside one (SQLite commits it on its own). Each is a WAL commit.
   */
  transactions: number;
}

export class Statements {
  readonly stats: StoreStats = { statements: 0, transactions: 0 };
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();
  #closed = false;
  #inTransaction = false;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    const changes = Number(this.#prepare(sql).run(...params).changes);
    if (!this.#inTransaction) this.stats.transactions++;
    return changes;
  }

  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#prepare(sql).get(...params) as Row | undefined;
  }

  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#prepare(sql).all(...params) as Row[];
  }

  /**
   * `all` with each row as an array of its columns, in the order selected: node:sqlite builds a row object
   * property by property, which costs about a microsecond a row; an array costs a fraction of it. For reads of
   * many rows (a chain's turns).
   */
  allArrays(sql: string, ...params: SQLInputValue[]): unknown[][] {
    const statement = this.#prepare(sql);
    statement.setReturnArrays(true);
    try {
      return statement.all(...params) as unknown[] as unknown[][];
    } finally {
      statement.setReturnArrays(false);
    }
  }

  /** Unprepared SQL (pragmas, migrations, transaction control). */
  exec(sql: string): void {
    this.assertOpen();
    this.stats.statements++;
    this.#db.exec(sql);
  }

  /**
   * Runs `fn` in a write transaction. IMMEDIATE takes the write lock up front, so a reader that later
   * writes cannot deadlock against another connection (it waits for `busy_timeout` instead). Inside another
   * transaction (a group commit, write-queue.ts) `fn` simply runs as part of it.
   */
  transaction<T>(fn: () => T): T {
    if (this.#inTransaction) return fn();
    this.exec('BEGIN IMMEDIATE');
    this.#inTransaction = true;
    try {
      const result = fn();
      this.exec('COMMIT');
      this.stats.transactions++;
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.exec('ROLLBACK');
      throw error;
    } finally {
      this.#inTransaction = false;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cache.clear();
    this.#db.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #prepare(sql: string): StatementSync {
    this.assertOpen();
    this.stats.statements++;
    let statement = this.#cache.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }

  /** Also called by methods that may return before touching the database. */
  assertOpen(): void {
    if (this.#closed) throw new StoreError('closed', 'The store is closed');
  }
}
