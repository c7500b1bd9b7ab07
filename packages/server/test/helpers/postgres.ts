/**
 * The PostgreSQL the tests run against: `INTERPLAY_TEST_PG_URL` (set by .ci/run, which starts the cluster
 * with .ci/postgres.sh), else the URL that script uses. Each test works in a schema of its own, so tests
 * running at once never see each other's rows, locks or notifications. Without a reachable server the
 * Postgres tests fail with how to start one; they never skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_PG_URL =
  process.env.INTERPLAY_TEST_PG_URL ?? 'postgres://interplay:interplay@127.0.0.1:54329/interplay_test';

let reachable: Promise<void> | undefined;

/** Resolves once a connection to the test server works; rejects with how to start it otherwise. */
export function requirePostgres(): Promise<void> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(
        `PostgreSQL is not reachable at ${TEST_PG_URL.replace(/:[^:@/]*@/, ':***@')} ` +
          `(${error instanceof Error ? error.message : String(error)}). Start the test cluster with ` +
          '`source .ci/postgres.sh` (as root), or point INTERPLAY_TEST_PG_URL at a server.',
      );
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** A new schema name for one test (created by the store that first opens it). */
export function newSchemaName(): string {
  return `t_${randomBytes(8).toString('hex')}`;
}

/** The test server's URL with `schema` selected (the store's `schema` URL parameter). */
export function schemaUrl(schema: string): string {
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Drops the test schemas (and everything in them). */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs `fn` on a connection of its own to the test server, working in `schema`. */
export async function withClient<T>(schema: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
