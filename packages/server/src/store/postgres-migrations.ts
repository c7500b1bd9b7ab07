/**
 * The Postgres schema, versioned in the table `interplay_schema`. Append a new entry to change it; never edit
 * a shipped one (existing databases have already run it).
 *
 * Safe when several replicas start at once: each migrates inside one transaction holding an advisory lock
 * (`pg_advisory_xact_lock`) keyed by the schema, so one of them migrates and the others, once they get the
 * lock, find the schema up to date. DDL is transactional in Postgres: a failed migration leaves nothing.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { StoreError } from './store.ts';

/**
 * Column types follow the SQLite store's so both share the row mapping (rows.ts): JSON kept as the text the
 * server wrote (a replayed event is sent exactly as it was stored; `jsonb` would reorder keys and refuse
 * `\u0000`), `background` as 0/1. Text keys use the "C" collation: byte order, as SQLite sorts them, whatever
 * the database's locale (pages and chains must not depend on it).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // v1
  `
  CREATE TABLE interactions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    -- No foreign key: an ancestor may expire before its descendants.
    previous_id  TEXT COLLATE "C",
    -- Chain position (0 = no parent); orders history and rules out cycles.
    depth        INTEGER NOT NULL DEFAULT 0,
    -- The first interaction of its chain: a chain's later turns are one range of interactions_by_chain.
    root_id      TEXT COLLATE "C" NOT NULL,
    expires_at   BIGINT NOT NULL,
    status       TEXT NOT NULL,
    owner        TEXT COLLATE "C",
    -- The interaction's own input items (apart from the request, so a chain is read without its requests).
    input_json   TEXT NOT NULL,
    output_json  TEXT NOT NULL,
    model        TEXT,
    agent        TEXT,
    created      TEXT COLLATE "C" NOT NULL,
    updated      TEXT NOT NULL,
    -- The request without its input.
    request_json TEXT NOT NULL,
    usage_json   TEXT,
    error_json   TEXT,
    background   SMALLINT NOT NULL DEFAULT 0 CHECK (background IN (0, 1)),
    -- The replica running it and until when (epoch ms, the database's clock): a running interaction is
    -- leased, renewed by heartbeats; once the lease lapses another replica may claim it. NULL: nobody runs
    -- it (finished, or queued for any replica to claim).
    lease_owner  TEXT COLLATE "C",
    lease_until  BIGINT,
    -- Cancel was asked (on any replica): whoever runs it, or claims it, ends it cancelled.
    cancel_requested SMALLINT NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1))
  );
  CREATE INDEX interactions_by_expiry ON interactions (expires_at);
  CREATE INDEX interactions_unfinished ON interactions (status) WHERE status IN ('queued', 'in_progress');
  -- The inspector's list: an owner's interactions newest first, keyset-paged.
  CREATE INDEX interactions_by_owner ON interactions (owner, created, id);
  -- The interactions that continue one (only chained rows are indexed).
  CREATE INDEX interactions_by_previous ON interactions (previous_id, created, id) WHERE previous_id IS NOT NULL;
  -- A chain's continued turns in order (a first turn, most creates, costs nothing here).
  CREATE INDEX interactions_by_chain ON interactions (root_id, depth) WHERE depth > 0;

  CREATE TABLE events (
    interaction_id TEXT COLLATE "C" NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    event_id       TEXT NOT NULL,
    body_json      TEXT NOT NULL,
    PRIMARY KEY (interaction_id, seq)
  );

  CREATE TABLE files (
    -- Names are per owner: two keys may each have files/report.
    name         TEXT COLLATE "C" NOT NULL,
    owner        TEXT COLLATE "C",
    display_name TEXT,
    mime_type    TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    state        TEXT NOT NULL,
    created      TEXT COLLATE "C" NOT NULL,
    updated      TEXT NOT NULL,
    expires_at   BIGINT NOT NULL,
    sha256       TEXT,
    data         BYTEA NOT NULL
  );
  -- Open mode's files (owner NULL) are one owner's too: COALESCE makes the pair unique for them as well.
  CREATE UNIQUE INDEX files_by_owner_name ON files ((COALESCE(owner, '')), name);
  CREATE INDEX files_by_owner ON files (owner, created, name);
  CREATE INDEX files_by_expiry ON files (expires_at);
  `,
  // v2: resumable uploads in progress, so each chunk may land on any replica (store/postgres-uploads.ts).
  `
  CREATE TABLE upload_sessions (
    id            TEXT COLLATE "C" PRIMARY KEY,
    owner         TEXT COLLATE "C",
    name          TEXT COLLATE "C" NOT NULL,
    display_name  TEXT,
    mime_type     TEXT NOT NULL,
    declared_size BIGINT,
    received      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
  );
  CREATE INDEX upload_sessions_by_name ON upload_sessions ((COALESCE(owner, '')), name);
  CREATE INDEX upload_sessions_by_age ON upload_sessions (created_at);
  CREATE TABLE upload_chunks (
    session_id TEXT COLLATE "C" NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    PRIMARY KEY (session_id, at)
  );
  `,
  // v3: custom agents (the agents resource), per owner, so every replica finds an agent created on another.
  `
  CREATE TABLE agents (
    owner     TEXT COLLATE "C",
    id        TEXT COLLATE "C" NOT NULL,
    created   TEXT NOT NULL,
    body_json TEXT NOT NULL
  );
  -- Open mode's agents (owner NULL) are one owner's too: COALESCE makes the pair unique for them as well.
  CREATE UNIQUE INDEX agents_by_owner_id ON agents ((COALESCE(owner, '')), id);
  `,
  // v4: webhooks (webhooks/postgres-webhook-store.ts), the SQLite store's tables: registered endpoints per API
  // key, the delivery queue every replica sends from, and the one key that signs per-request deliveries.
  `
  CREATE TABLE webhooks (
    -- Unique across owners, as on SQLite: a caller's webhook_id taken by another key is a conflict.
    id                TEXT COLLATE "C" PRIMARY KEY,
    owner             TEXT COLLATE "C",
    name              TEXT,
    uri               TEXT NOT NULL,
    events_json       TEXT NOT NULL,
    state             TEXT NOT NULL,
    secrets_json      TEXT NOT NULL,
    failed_deliveries INTEGER NOT NULL DEFAULT 0,
    created           TEXT COLLATE "C" NOT NULL,
    updated           TEXT NOT NULL
  );
  -- An owner's webhooks oldest first, keyset-paged (open mode's, owner NULL, are one owner's too).
  CREATE INDEX webhooks_by_owner ON webhooks ((COALESCE(owner, '')), created, id);
  CREATE TABLE webhook_deliveries (
    id              TEXT COLLATE "C" PRIMARY KEY,
    owner           TEXT COLLATE "C",
    webhook_id      TEXT COLLATE "C" REFERENCES webhooks (id) ON DELETE CASCADE,
    uri             TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- Epoch ms; a replica claiming a delivery moves it to the end of its claim (dueDeliveries).
    next_attempt_at BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    last_error      TEXT
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id);
  CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id) WHERE webhook_id IS NOT NULL;
  CREATE TABLE webhook_keys (
    kid         TEXT COLLATE "C" PRIMARY KEY,
    private_jwk TEXT NOT NULL,
    created     BIGINT NOT NULL,
    -- At most one key signs: replicas starting together each insert theirs and all keep the one that won.
    -- A rotation would mark the old key inactive and keep it in the JWKS for a while.
    active      BOOLEAN NOT NULL DEFAULT TRUE
  );
  CREATE UNIQUE INDEX webhook_keys_one_active ON webhook_keys (active) WHERE active;
  `,
];

/** A schema name the store accepts: a plain identifier, so it can be quoted into SQL safely. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(
      'schema',
      `Invalid Postgres schema name '${schema}': use letters, digits and underscores (at most 63).`,
    );
  }
  return schema;
}

/**
 * The advisory-lock key for `purpose` in `schema` (64 bits of a hash): replicas of one deployment agree on
 * it, and deployments in other schemas of the same database do not contend.
 */
export function advisoryLockKey(purpose: string, schema: string): string {
  const digest = createHash('sha256').update(`interplay:${purpose}:${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/** Brings `schema` up to date (creating it if needed); see the file comment. */
export async function migratePostgres(client: PoolClient, schema: string): Promise<void> {
  const quoted = `"${checkSchemaName(schema)}"`;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey('migrate', schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    await client.query('CREATE TABLE IF NOT EXISTS interplay_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM interplay_schema');
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new StoreError(
        'schema',
        `Database schema v${current} is newer than this server supports (v${POSTGRES_MIGRATIONS.length})`,
      );
    }
    for (const migration of POSTGRES_MIGRATIONS.slice(current)) await client.query(migration);
    if (current < POSTGRES_MIGRATIONS.length) {
      await client.query('DELETE FROM interplay_schema');
      await client.query('INSERT INTO interplay_schema (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
