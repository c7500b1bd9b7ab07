/**
 * `listInteractions` on Postgres: the same list as the SQLite store's (store/interaction-list.ts), newest
 * first, keyset-paged on (created, id), each call's work bounded (store.ts, `InteractionQuery`). Two
 * statements: the end of the scan window (an index-only OFFSET over `interactions_by_owner`), then the
 * filtered page inside it.
 */
import type { QueryResultRow } from 'pg';
import { asciiLower, interactionPage, type ScanWindow } from './interaction-list.ts';
import { atLeastOne, decodePosition, type Position } from './page-tokens.ts';
import {
  INPUT_PREVIEW_CHARS,
  type InteractionPage,
  type InteractionQuery,
  LIST_SCAN_LIMIT,
} from './store.ts';

type Query = (sql: string, params: unknown[]) => Promise<{ rows: QueryResultRow[] }>;

const RUNNING = "status IN ('queued', 'in_progress')";

/**
 * The stored JSON text as `jsonb` for the search, or NULL for the rare text holding an escaped NUL
 * (`\u0000`), which `jsonb` refuses: such a row is matched by its id and error message only.
 */
const asJsonb = (column: string) => `(CASE WHEN strpos(${column}, '\\u0000') = 0 THEN ${column}::jsonb END)`;

/** Folds ASCII letters only, as SQLite's `lower()` does, so both stores match the same rows. */
const asciiLowerSql = (expression: string) =>
  `translate(${expression}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/** The strings under `text` and `name` keys anywhere in a column's JSON (what the search looks at). */
const searchedStrings = (column: string) =>
  ['text', 'name']
    .map(
      (key) =>
        `SELECT s #>> '{}' AS value FROM jsonb_path_query(${asJsonb(column)}, 'lax $.**.${key} ? (@.type() == "string")') AS s`,
    )
    .join(' UNION ALL ');

const SUMMARY_COLUMNS = `id, status, model, agent, created, updated, previous_id, background, usage_json,
  error_json, json_array_length(input_json::json) AS input_count,
  (SELECT substr(s #>> '{}', 1, ${INPUT_PREVIEW_CHARS})
     FROM jsonb_path_query(${asJsonb('input_json')}, 'lax $.**.text ? (@.type() == "string")') AS s
    LIMIT 1) AS input_preview`;

/** The text condition; `$n` is the id as given, `$n+1` the ASCII-lowercased needle. */
const textMatch = (n: number) => `(id = $${n}
  OR EXISTS (SELECT 1 FROM (${searchedStrings('input_json')}) AS t
              WHERE strpos(${asciiLowerSql('t.value')}, $${n + 1}) > 0)
  OR EXISTS (SELECT 1 FROM (${searchedStrings('output_json')}) AS t
              WHERE strpos(${asciiLowerSql('t.value')}, $${n + 1}) > 0)
  OR strpos(${asciiLowerSql(`COALESCE(${asJsonb('error_json')} ->> 'message', '')`)}, $${n + 1}) > 0)`;

export async function listInteractionsPostgres(
  query: Query,
  owner: string | null,
  q: InteractionQuery,
  now: number,
): Promise<InteractionPage> {
  const size = Math.min(100, atLeastOne(q.pageSize));
  const after = q.pageToken ? decodePosition(q.pageToken) : undefined;

  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [
    owner === null ? 'owner IS NULL' : `owner = ${param(owner)}`,
    `(expires_at >= ${param(now)} OR ${RUNNING})`,
  ];
  if (after) where.push(`(created, id) < (${param(after[0])}, ${param(after[1])})`);
  // The last row this call may examine; undefined when no more than the window is left.
  let window: ScanWindow | undefined;
  if (q.previousId !== undefined) {
    where.push(`previous_id = ${param(q.previousId)}`);
  } else {
    window = await scanWindow(query, owner, after, q.scanLimit ?? LIST_SCAN_LIMIT);
    if (window) where.push(`(created, id) >= (${param(window.end[0])}, ${param(window.end[1])})`);
  }
  for (const [column, value] of [
    ['status', q.status],
    ['model', q.model],
    ['agent', q.agent],
  ] as const) {
    if (value !== undefined) where.push(`${column} = ${param(value)}`);
  }
  if (q.text !== undefined && q.text !== '') {
    param(q.text);
    param(asciiLower(q.text));
    where.push(textMatch(params.length - 1));
  }
  // One more than a page tells whether another match follows.
  const { rows } = await query(
    `SELECT ${SUMMARY_COLUMNS} FROM interactions WHERE ${where.join(' AND ')}
      ORDER BY created DESC, id DESC LIMIT ${param(size + 1)}`,
    params,
  );
  return interactionPage(rows, size, window);
}

/**
 * The window of this call: the position of the `limit`-th of the owner's rows after `after` (expired ones
 * count: they are examined too), and whether any row lies beyond it. `undefined` when fewer rows are left.
 */
async function scanWindow(
  query: Query,
  owner: string | null,
  after: Position | undefined,
  limit: number,
): Promise<ScanWindow | undefined> {
  const offset = atLeastOne(limit) - 1;
  const params: unknown[] = [offset];
  const where = [owner === null ? 'owner IS NULL' : `owner = $${params.push(owner)}`];
  if (after) where.push(`(created, id) < ($${params.push(after[0])}, $${params.push(after[1])})`);
  // Two rows: the window's last, and the first beyond it if there is one.
  const { rows } = await query(
    `SELECT created, id FROM interactions WHERE ${where.join(' AND ')}
      ORDER BY created DESC, id DESC LIMIT 2 OFFSET $1`,
    params,
  );
  const [end] = rows;
  return end ? { end: [String(end.created), String(end.id)], more: rows.length > 1 } : undefined;
}
