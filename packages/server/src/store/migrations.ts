/**
 * Schema versions, tracked in `PRAGMA user_version`. Append a new entry to change the schema; never edit a
 * shipped one (existing databases have already run it). An entry is SQL, or a function for a change SQL
 * alone cannot make.
 */
import { writeDerivedLogs } from './derived-logs-migration.ts';
import type { Statements } from './statements.ts';
import { StoreError } from './store.ts';

export type Migration = string | ((sql: Statements) => void);

/**
 * A row's input and output items as one JSON array body — the text between the brackets of both arrays,
 * joined by a comma; `''` when both are empty — which a chain read splices into one JSON text. v12's chain
 * index is built on this exact text, and a query reads it from that index only when it spells it the same:
 * never change it (a new index under a new migration would).
 */
export const CHAIN_ITEMS_SQL =
  "CASE WHEN input_json = '[]' THEN substr(output_json, 2, length(output_json) - 2) " +
  "WHEN output_json = '[]' THEN substr(input_json, 2, length(input_json) - 2) " +
  "ELSE substr(input_json, 2, length(input_json) - 2) || ',' || substr(output_json, 2, length(output_json) - 2) END";

export const MIGRATIONS: readonly Migration[] = [
  // v1
  `
  CREATE TABLE interactions (
    id           TEXT PRIMARY KEY,
    owner        TEXT,
    status       TEXT NOT NULL,
    model        TEXT,
    agent        TEXT,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL,
    request_json TEXT NOT NULL,
    output_json  TEXT NOT NULL,
    usage_json   TEXT,
    error_json   TEXT,
    -- No foreign key: an ancestor may expire before its descendants.
    previous_id  TEXT,
    -- Chain position (0 = no parent); orders history and rules out cycles.
    depth        INTEGER NOT NULL DEFAULT 0,
    background   INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX interactions_by_expiry ON interactions (expires_at);
  CREATE INDEX interactions_unfinished ON interactions (status) WHERE status IN ('queued', 'in_progress');

  -- Clustered by (interaction_id, seq) so a replay is one range scan.
  CREATE TABLE events (
    interaction_id TEXT NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    event_id       TEXT NOT NULL,
    body_json      TEXT NOT NULL,
    PRIMARY KEY (interaction_id, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX events_by_event_id ON events (interaction_id, event_id);

  CREATE TABLE files (
    name         TEXT PRIMARY KEY,
    owner        TEXT,
    display_name TEXT,
    mime_type    TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    state        TEXT NOT NULL,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    sha256       TEXT,
    -- Last, so reading metadata never touches the blob's overflow pages.
    data         BLOB NOT NULL
  ) STRICT;
  CREATE INDEX files_by_owner ON files (owner, created, name);
  CREATE INDEX files_by_expiry ON files (expires_at);
  `,
  // v2
  `
  -- 'derived': no event log was stored (a foreground create nobody could watch); a replay derived its events
  -- from the final state. Gone in v6.
  ALTER TABLE interactions ADD COLUMN event_log TEXT NOT NULL DEFAULT 'stored'
    CHECK (event_log IN ('stored', 'derived'));
  -- Event ids are evt_<seq>: the primary key (interaction_id, seq) already finds them.
  DROP INDEX events_by_event_id;
  `,
  // v3
  `
  -- The inspector's list (store/interaction-list.ts): an owner's interactions newest first, keyset-paged.
  CREATE INDEX interactions_by_owner ON interactions (owner, created, id);
  -- The interactions that continue one (only chained rows are indexed).
  CREATE INDEX interactions_by_previous ON interactions (previous_id, created, id) WHERE previous_id IS NOT NULL;
  `,
  // v4
  `
  -- Rebuilt so that a chain's history is read from few pages, without parsing requests:
  -- - input_json: the interaction's own input items, taken out of request_json (whose tools and system
  --   instruction are most of a request's size);
  -- - root_id: the first interaction of its chain (NULL for rows written before v4: their chains are read
  --   link by link), and an index holding every later turn's items in chain order, so a chain is one range
  --   scan however its turns are spread over the file.
  CREATE TABLE interactions_v4 (
    id           TEXT PRIMARY KEY,
    -- No foreign key: an ancestor may expire before its descendants.
    previous_id  TEXT,
    -- Chain position (0 = no parent); orders history and rules out cycles.
    depth        INTEGER NOT NULL DEFAULT 0,
    root_id      TEXT,
    expires_at   INTEGER NOT NULL,
    status       TEXT NOT NULL,
    owner        TEXT,
    input_json   TEXT NOT NULL,
    output_json  TEXT NOT NULL,
    model        TEXT,
    agent        TEXT,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL,
    -- The request without its input.
    request_json TEXT NOT NULL,
    usage_json   TEXT,
    error_json   TEXT,
    background   INTEGER NOT NULL DEFAULT 0,
    event_log    TEXT NOT NULL DEFAULT 'stored' CHECK (event_log IN ('stored', 'derived'))
  ) STRICT;
  INSERT INTO interactions_v4 (id, previous_id, depth, expires_at, status, owner, input_json, output_json, model,
                               agent, created, updated, request_json, usage_json, error_json, background, event_log)
    SELECT id, previous_id, depth, expires_at, status, owner, COALESCE(request_json -> '$.input', '[]'),
           output_json, model, agent, created, updated, json_remove(request_json, '$.input'), usage_json,
           error_json, background, event_log
      FROM interactions;
  DROP TABLE interactions;
  ALTER TABLE interactions_v4 RENAME TO interactions;
  CREATE INDEX interactions_by_expiry ON interactions (expires_at);
  CREATE INDEX interactions_unfinished ON interactions (status) WHERE status IN ('queued', 'in_progress');
  CREATE INDEX interactions_by_owner ON interactions (owner, created, id);
  CREATE INDEX interactions_by_previous ON interactions (previous_id, created, id) WHERE previous_id IS NOT NULL;
  -- Covers a chain read. Only continued turns: a first turn (most creates are never continued) costs nothing.
  CREATE INDEX interactions_by_chain
    ON interactions (root_id, depth, id, previous_id, expires_at, status, input_json, output_json)
    WHERE depth > 0;
  `,
  // v5
  `
  -- File names are per owner: two keys may each have files/report. (A global name let any key learn another
  -- key's file names from the conflict.) The table is rebuilt without the primary key on name.
  CREATE TABLE files_v5 (
    name         TEXT NOT NULL,
    owner        TEXT,
    display_name TEXT,
    mime_type    TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    state        TEXT NOT NULL,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    sha256       TEXT,
    data         BLOB NOT NULL
  ) STRICT;
  INSERT INTO files_v5 (name, owner, display_name, mime_type, size_bytes, state, created, updated, expires_at,
                        sha256, data)
    SELECT name, owner, display_name, mime_type, size_bytes, state, created, updated, expires_at, sha256, data
      FROM files;
  DROP TABLE files;
  ALTER TABLE files_v5 RENAME TO files;
  -- Open mode's files (owner NULL) are one owner's too: ifnull makes the pair unique for them as well.
  CREATE UNIQUE INDEX files_by_owner_name ON files (ifnull(owner, ''), name);
  CREATE INDEX files_by_owner ON files (owner, created, name);
  CREATE INDEX files_by_expiry ON files (expires_at);
  `,
  // v6: the logs v2 derived are written out; every interaction stores its log.
  writeDerivedLogs,
  // v7
  `
  -- Webhooks (webhooks/sqlite-webhook-store.ts): registered endpoints per API key, the durable delivery queue,
  -- and the key that signs deliveries to per-request URIs (webhook_config.uris).
  CREATE TABLE webhooks (
    id                TEXT PRIMARY KEY,
    owner             TEXT,
    name              TEXT,
    uri               TEXT NOT NULL,
    events_json       TEXT NOT NULL,
    state             TEXT NOT NULL,
    secrets_json      TEXT NOT NULL,
    failed_deliveries INTEGER NOT NULL DEFAULT 0,
    created           TEXT NOT NULL,
    updated           TEXT NOT NULL
  ) STRICT;
  CREATE INDEX webhooks_by_owner ON webhooks (owner, created, id);
  CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    owner           TEXT,
    webhook_id      TEXT REFERENCES webhooks (id) ON DELETE CASCADE,
    uri             TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    last_error      TEXT
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at);
  CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id) WHERE webhook_id IS NOT NULL;
  CREATE TABLE webhook_keys (
    kid         TEXT PRIMARY KEY,
    private_jwk TEXT NOT NULL,
    created     INTEGER NOT NULL
  ) STRICT;
  `,
  // v8: custom agents (the agents resource), per owner.
  `
  CREATE TABLE agents (
    owner     TEXT,
    id        TEXT NOT NULL,
    created   TEXT NOT NULL,
    body_json TEXT NOT NULL
  ) STRICT;
  -- Open mode's agents (owner NULL) are one owner's too: ifnull makes the pair unique for them as well.
  CREATE UNIQUE INDEX agents_by_owner_id ON agents (ifnull(owner, ''), id);
  `,
  // v9
  `
  -- An interaction's events, one row per written batch (store/event-batches.ts): events_json is the JSON array
  -- of the events first_seq … last_seq. Batches of one interaction cover its seqs without gaps or overlaps.
  -- A rowid table: a batch is kilobytes, which a WITHOUT ROWID table (a b-tree keyed by the row itself) would
  -- spill to overflow pages of their own after its first kilobyte; here rows are appended in rowid order.
  CREATE TABLE event_batches (
    interaction_id TEXT NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    events_json    TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX event_batches_by_seq ON event_batches (interaction_id, first_seq);
  INSERT INTO event_batches (interaction_id, first_seq, last_seq, events_json)
    SELECT interaction_id, seq, seq, '[' || body_json || ']' FROM events;
  DROP TABLE events;
  `,
  // v10
  `
  -- The events written with the row (store/event-batches.ts): when a run ends before its row is written (a
  -- model that answers at once), its whole log, seqs 1 … event_count, goes into the row's INSERT instead of a
  -- row of event_batches. Later batches, and every batch of a run that outlives its row's commit, are rows of
  -- event_batches starting after event_count.
  ALTER TABLE interactions ADD COLUMN events_json TEXT;
  ALTER TABLE interactions ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
  `,
  // v11
  `
  -- No table changes. A row's own batch (events_json) may hold its lifecycle events as references to the row
  -- (store/lifecycle-refs.ts), which a server before v11 cannot read: the version makes such a server refuse
  -- the file instead of failing on those rows. Rows written before read as they are.
  SELECT 1;
  `,
  // v12
  `
  -- A chain read takes one value per turn: the index carries each continued turn's input and output items
  -- as one array body (CHAIN_ITEMS_SQL, computed by SQLite when the row is written) instead of the two JSON
  -- columns. Rows of every earlier version are read the same way: the index is rebuilt from them here.
  DROP INDEX interactions_by_chain;
  CREATE INDEX interactions_by_chain
    ON interactions (root_id, depth, id, previous_id, expires_at, status, (${CHAIN_ITEMS_SQL}))
    WHERE depth > 0;
  `,
];

const version = (sql: Statements): number => Number(sql.get('PRAGMA user_version')?.user_version ?? 0);

/**
 * Brings the schema up to date; safe when several processes open the same file at once. Foreign keys are off
 * while it runs (they cannot be switched inside a transaction): a migration that rebuilds a table drops the
 * old one, which would otherwise delete the rows that reference it; the keys are checked before the commit.
 */
export function migrate(sql: Statements): void {
  if (version(sql) === MIGRATIONS.length) return;
  sql.exec('PRAGMA foreign_keys = OFF');
  try {
    sql.transaction(() => upgrade(sql));
  } finally {
    sql.exec('PRAGMA foreign_keys = ON');
  }
}

function upgrade(sql: Statements): void {
  // Re-read under the write lock: another process may have migrated meanwhile.
  const current = version(sql);
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      'schema',
      `Database schema v${current} is newer than this server supports (v${MIGRATIONS.length})`,
    );
  }
  for (const migration of MIGRATIONS.slice(current)) {
    if (typeof migration === 'string') sql.exec(migration);
    else migration(sql);
  }
  const broken = sql.get('PRAGMA foreign_key_check');
  if (broken) throw new StoreError('schema', `Migration left a broken reference in ${String(broken.table)}`);
  sql.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
}
