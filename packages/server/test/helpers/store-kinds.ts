/**
 * The stores the store contract runs on: SQLite (a temporary file) and Postgres (a fresh schema on the test
 * server, helpers/postgres.ts). A contract test file calls `storeKinds()` once at its top level and runs its
 * tests for each kind with `describe.each`; stores opened through it are closed (and their files or schemas
 * removed) after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { PostgresStore } from '../../src/store/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { dropSchemas, newSchemaName, requirePostgres, schemaUrl } from './postgres.ts';

export interface StoreOpenOptions {
  /** Clock for expiry checks on reads. */
  now?: () => number;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** A new, empty place for a store: a temporary SQLite file, or a Postgres schema. */
  newLocation(): string;
  /** Opens a store at `location` (a new one when omitted); closed after the test. */
  open(location?: string, options?: StoreOpenOptions): Promise<Store>;
}

export function storeKinds(): StoreKind[] {
  const stores: Store[] = [];
  const dirs: string[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await dropSchemas(schemas.splice(0));
  });

  const sqlite: StoreKind = {
    name: 'sqlite',
    newLocation() {
      const dir = mkdtempSync(join(tmpdir(), 'interplay-store-'));
      dirs.push(dir);
      return join(dir, 'store.db');
    },
    async open(location = sqlite.newLocation(), options = {}) {
      const store = SqliteStore.open({ path: location, ...options });
      stores.push(store);
      return store;
    },
  };
  const postgres: StoreKind = {
    name: 'postgres',
    newLocation() {
      const schema = newSchemaName();
      schemas.push(schema);
      return schema;
    },
    async open(location = postgres.newLocation(), options = {}) {
      await requirePostgres();
      const store = await PostgresStore.open({ url: schemaUrl(location), poolSize: 4, ...options });
      stores.push(store);
      return store;
    },
  };
  return [sqlite, postgres];
}
