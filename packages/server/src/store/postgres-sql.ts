/**
 * The Postgres store's statements. Parameters are positional; each statement's comment names the ones that
 * are not obvious. `$me` is the replica's id, `$channel` the deployment's notification channel
 * (postgres-notifications.ts): a statement that changes what other replicas wait for notifies them itself,
 * so the notice goes out when, and only if, the change commits.
 */
import { FILE_COLUMNS, INTERACTION_COLUMNS } from './rows.ts';

/** A running interaction stays visible (and unswept) past its `expiresAt`, so its turn can finish. */
export const RUNNING = "status IN ('queued', 'in_progress')";
const live = (at: string, alias = '') => `(${alias}expires_at >= ${at} OR ${alias}${RUNNING})`;

/** Leases use the database's clock (epoch ms), so replicas whose clocks differ still agree on them. */
const CLOCK_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/** A write to an interaction is this replica's to make: nobody holds its lease, or this replica does. */
const mine = (me: string) => `(lease_owner IS NULL OR lease_owner = ${me})`;

const prefixed = (columns: string, alias: string) =>
  columns
    .split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');

const fileIs = (name: string, owner: string) =>
  `COALESCE(owner, '') = COALESCE(${owner}::text, '') AND name = ${name}`;

// owner and status: the head's, which a turn continuing it checks (chain-rows.ts `chainHead`).
const CHAIN_COLUMNS = 'id, previous_id, depth, expires_at, input_json, output_json, owner, status';

export const SQL = {
  // $16 $me, $17 lease ms. Depth and chain root come from the previous interaction when it is stored;
  // without one, the row is the root of its own chain. A running row is leased to the replica writing it.
  insertInteraction: `INSERT INTO interactions (${INTERACTION_COLUMNS}, depth, root_id, lease_owner, lease_until)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
              COALESCE(p.depth + 1, 0), COALESCE(p.root_id, $1),
              CASE WHEN $3 IN ('queued', 'in_progress') THEN $16 END,
              CASE WHEN $3 IN ('queued', 'in_progress') THEN ${CLOCK_MS} + $17::bigint END
         FROM (SELECT $12::text AS previous_id) AS w LEFT JOIN interactions p ON p.id = w.previous_id`,
  getInteraction: `SELECT ${INTERACTION_COLUMNS} FROM interactions
                    WHERE id = $1 AND owner IS NOT DISTINCT FROM $2 AND ${live('$3')}`,
  // $4 $channel
  deleteInteraction: `WITH gone AS (
         DELETE FROM interactions WHERE id = $1 AND owner IS NOT DISTINCT FROM $2 AND ${live('$3')} RETURNING id)
       SELECT pg_notify($4, 'd:' || id) FROM gone`,
  // Whether a write that changed nothing found no row, or a row leased by another replica.
  leaseOf: 'SELECT lease_owner FROM interactions WHERE id = $1',
  // The head, its root and the chain's continued turns up to the head's depth (interactions_by_chain: one
  // index range), in one round trip. Rows of other branches of the same root come along; `ancestry` keeps
  // the head's own. The LIMIT stops a root continued many times over from reading all its branches.
  chain: `WITH head AS (SELECT root_id, depth FROM interactions WHERE id = $1 AND ${live('$2')}),
       turns AS (
         SELECT ${prefixed(CHAIN_COLUMNS, 'i')} FROM interactions i, head
          WHERE i.root_id = head.root_id AND i.depth > 0 AND i.depth <= head.depth AND ${live('$2', 'i.')}
          ORDER BY i.depth LIMIT (SELECT 4 * depth + 64 FROM head))
       SELECT ${CHAIN_COLUMNS}, (SELECT depth FROM head) AS head_depth FROM turns
       UNION ALL
       SELECT ${prefixed(CHAIN_COLUMNS, 'i')}, head.depth FROM interactions i, head
        WHERE i.id = head.root_id AND i.depth = 0 AND ${live('$2', 'i.')}`,
  // Link by link (a root with many branches). `depth` strictly decreases toward the root, so a corrupt
  // previous_id loop cannot recurse forever.
  chainLinks: `WITH RECURSIVE chain AS (
         SELECT ${CHAIN_COLUMNS} FROM interactions WHERE id = $1 AND ${live('$2')}
         UNION ALL
         SELECT ${prefixed(CHAIN_COLUMNS, 'i')} FROM interactions i JOIN chain c ON i.id = c.previous_id
          WHERE i.depth < c.depth AND ${live('$2', 'i.')}
       )
       SELECT ${CHAIN_COLUMNS} FROM chain ORDER BY depth`,
  listUnfinished: `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE ${RUNNING} ORDER BY created, id`,
  expireInteractions: `DELETE FROM interactions WHERE expires_at < $1 AND NOT ${RUNNING}`,

  // $1 id, $2 first seq, $3 event ids, $4 bodies, $5 $me, $6 $channel. Many rows in one statement, one
  // parameter per column. The row is share-locked while they are written, so a claim of the run waits for
  // them (and reads them), and the replica that lost the lease writes nothing more.
  appendEvents: `WITH held AS (SELECT 1 FROM interactions WHERE id = $1 AND ${mine('$5')} FOR SHARE),
       written AS (
         INSERT INTO events (interaction_id, seq, event_id, body_json)
         SELECT $1, $2::integer + e.ord::integer - 1, e.event_id, e.body_json
           FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS e (event_id, body_json, ord)
          WHERE EXISTS (SELECT 1 FROM held)
         RETURNING 1)
       SELECT count(*)::integer AS written, CASE WHEN count(*) > 0 THEN pg_notify($6, 'e:' || $1) END AS notified
         FROM written`,
  lockForAppend: 'SELECT lease_owner FROM interactions WHERE id = $1 FOR UPDATE',
  lastSeq: 'SELECT COALESCE(MAX(seq), 0) AS last FROM events WHERE interaction_id = $1',
  listEvents: `SELECT seq, event_id, body_json FROM events WHERE interaction_id = $1 AND seq > $2
                ORDER BY seq LIMIT $3`,
  hasEvent: 'SELECT 1 FROM events WHERE interaction_id = $1 AND seq = $2',

  // ---- leases (replica-store.ts) -------------------------------------------------------------
  // $1 $me, $2 lease ms
  renewLeases: `UPDATE interactions SET lease_until = ${CLOCK_MS} + $2::bigint
                 WHERE lease_owner = $1 AND ${RUNNING} RETURNING id`,
  // $1 $me, $2 lease ms, $3 at most, $4 only this id (or NULL: then $5 says which: background runs to run,
  // or runs to end). Oldest first; a row another replica is claiming at the same moment is skipped. A queued
  // run claimed to be run is `in_progress` from then on; the status it had is returned as `was`.
  claimRuns: `WITH picked AS (
         SELECT id, status AS was FROM interactions
          WHERE ${RUNNING} AND (lease_owner IS NULL OR lease_until < ${CLOCK_MS})
            AND CASE WHEN $4::text IS NOT NULL THEN id = $4
                     WHEN $5::boolean THEN background = 1 AND cancel_requested = 0
                     ELSE background = 0 OR cancel_requested = 1 END
          ORDER BY created, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE interactions i SET lease_owner = $1, lease_until = ${CLOCK_MS} + $2::bigint,
              status = CASE WHEN $4::text IS NULL AND $5::boolean THEN 'in_progress' ELSE i.status END
         FROM picked WHERE i.id = picked.id
       RETURNING ${prefixed(INTERACTION_COLUMNS, 'i')}, i.cancel_requested, picked.was`,
  // $1 id, $2 $me, $3 $channel: the run is anyone's to claim, and they are told.
  releaseLease: `WITH released AS (
         UPDATE interactions SET lease_owner = NULL, lease_until = NULL
          WHERE id = $1 AND lease_owner = $2 AND ${RUNNING} RETURNING id)
       SELECT pg_notify($3, 'q') FROM released`,
  // $1 id, $2 $channel
  requestCancel: `WITH marked AS (
         UPDATE interactions SET cancel_requested = 1 WHERE id = $1 AND ${RUNNING} RETURNING id)
       SELECT pg_notify($2, 'c:' || id) FROM marked`,
  announceQueued: `SELECT pg_notify($1, 'q')`,

  // ---- files ---------------------------------------------------------------------------------
  insertFile: `INSERT INTO files (${FILE_COLUMNS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  // A file is found by (owner, name): the form files_by_owner_name indexes.
  getFile: `SELECT ${FILE_COLUMNS} FROM files
             WHERE ${fileIs('$1', '$2')} AND expires_at >= $3`,
  readFileData: `SELECT data FROM files WHERE ${fileIs('$1', '$2')} AND expires_at >= $3`,
  updateFile: `UPDATE files SET state = COALESCE($1, state), updated = COALESCE($2, updated)
                WHERE ${fileIs('$3', '$4')}`,
  deleteFile: `DELETE FROM files WHERE ${fileIs('$1', '$2')} AND expires_at >= $3`,
  expireFiles: 'DELETE FROM files WHERE expires_at < $1',
} as const;

/**
 * The one statement that ends an interaction, as this replica: its `columns` set to the first parameters, its
 * lease given back, and its last events written (with the notice readers on other replicas wait for) only
 * if the update found the row still this replica's. One statement is one round trip and atomic on its own.
 * Parameters after the values: `$me`, the id, the first event's seq, the event ids, the bodies, `$channel`.
 * Returns `finished` (1, or 0 when the row is gone or leased elsewhere).
 */
export function finishInteractionSql(columns: readonly string[]): string {
  const assignments = columns.map((column, i) => `${column} = $${i + 1}`);
  assignments.push('lease_owner = NULL', 'lease_until = NULL');
  const [me, id, first, ids, bodies, channel] = [1, 2, 3, 4, 5, 6].map((k) => `$${columns.length + k}`);
  return `WITH done AS (
         UPDATE interactions SET ${assignments.join(', ')} WHERE id = ${id} AND ${mine(me as string)} RETURNING id),
       written AS (
         INSERT INTO events (interaction_id, seq, event_id, body_json)
         SELECT ${id}, ${first}::integer + e.ord::integer - 1, e.event_id, e.body_json
           FROM unnest(${ids}::text[], ${bodies}::text[]) WITH ORDINALITY AS e (event_id, body_json, ord)
          WHERE EXISTS (SELECT 1 FROM done)
         RETURNING 1)
       SELECT (SELECT count(*) FROM done)::integer AS finished,
              CASE WHEN (SELECT count(*) FROM written) > 0 THEN pg_notify(${channel}, 'e:' || ${id}) END AS notified`;
}

/** The page of an owner's files after (created, name): `owner = $5` or `owner IS NULL` (which the index serves). */
export function listFilesSql(openMode: boolean): string {
  return `SELECT ${FILE_COLUMNS} FROM files
           WHERE ${openMode ? 'owner IS NULL' : 'owner = $5'} AND expires_at >= $1 AND (created, name) > ($2, $3)
           ORDER BY created, name LIMIT $4`;
}
