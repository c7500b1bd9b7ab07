/**
 * `listInteractions` on SQLite: the inspector's list, newest first, keyset-paged on (created, id), with the
 * work of one call bounded (store.ts, `InteractionQuery`). Two statements: the end of the scan window (an
 * index-only OFFSET over `interactions_by_owner`), then the filtered page inside it. Migration v3 adds the
 * indexes both use.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { ErrorBody, InteractionStatus, Usage } from '@interplay/protocol';
import { atLeastOne, decodePosition, encodePosition, keysetPage, type Position } from './page-tokens.ts';
import type { Row, Statements } from './statements.ts';
import {
  INPUT_PREVIEW_CHARS,
  type InteractionPage,
  type InteractionQuery,
  type InteractionSummary,
  LIST_SCAN_LIMIT,
} from './store.ts';

const RUNNING = "status IN ('queued', 'in_progress')";

/** Strings of the input and output the text search looks at (json_tree leaves under these keys). */
const SEARCHED_KEYS = "key IN ('text', 'name') AND type = 'text'";

const SUMMARY_COLUMNS = `id, status, model, agent, created, updated, previous_id, background, usage_json,
  error_json, json_array_length(input_json) AS input_count,
  (SELECT substr(value, 1, ${INPUT_PREVIEW_CHARS}) FROM json_tree(input_json)
    WHERE key = 'text' AND type = 'text' LIMIT 1) AS input_preview`;

const TEXT_MATCH = `(id = ?
  OR EXISTS (SELECT 1 FROM json_tree(input_json) WHERE ${SEARCHED_KEYS} AND instr(lower(value), ?) > 0)
  OR EXISTS (SELECT 1 FROM json_tree(output_json) WHERE ${SEARCHED_KEYS} AND instr(lower(value), ?) > 0)
  OR instr(lower(COALESCE(error_json ->> '$.message', '')), ?) > 0)`;

export function listInteractions(
  sql: Statements,
  owner: string | null,
  query: InteractionQuery,
  now: number,
): InteractionPage {
  const size = Math.min(100, atLeastOne(query.pageSize));
  const after = query.pageToken ? decodePosition(query.pageToken) : undefined;

  const where = ['owner IS ?', `(expires_at >= ? OR ${RUNNING})`];
  const params: SQLInputValue[] = [owner, now];
  if (after) {
    where.push('(created, id) < (?, ?)');
    params.push(...after);
  }
  // The last row this call may examine; undefined when no more than the window is left.
  let window: ScanWindow | undefined;
  if (query.previousId !== undefined) {
    where.push('previous_id = ?');
    params.push(query.previousId);
  } else {
    window = scanWindow(sql, owner, after, query.scanLimit ?? LIST_SCAN_LIMIT);
    if (window) {
      where.push('(created, id) >= (?, ?)');
      params.push(...window.end);
    }
  }
  for (const [column, value] of [
    ['status', query.status],
    ['model', query.model],
    ['agent', query.agent],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (query.text !== undefined && query.text !== '') {
    const needle = asciiLower(query.text);
    where.push(TEXT_MATCH);
    params.push(query.text, needle, needle, needle);
  }
  // One more than a page tells whether another match follows. `? + 0`: a bare bound LIMIT recompiles the
  // statement at every run (sqlite-store.ts, chainTurns).
  const rows = sql.all(
    `SELECT ${SUMMARY_COLUMNS} FROM interactions WHERE ${where.join(' AND ')}
      ORDER BY created DESC, id DESC LIMIT ? + 0`,
    ...params,
    size + 1,
  );
  return interactionPage(rows, size, window);
}

/** The scan window of one call: the position of the last row it may examine, and whether rows lie beyond. */
export interface ScanWindow {
  end: Position;
  more: boolean;
}

/**
 * The page from the rows read one past `size`. The next page starts after its last row; when no row was left
 * over but the scan window ended with rows beyond it, after the window (the next call scans on from there).
 */
export function interactionPage(
  rows: readonly Row[],
  size: number,
  window: ScanWindow | undefined,
): InteractionPage {
  const { items: interactions, nextPageToken } = keysetPage(rows, size, toSummary, (s) => [s.created, s.id]);
  if (nextPageToken !== undefined) return { interactions, nextPageToken };
  if (window?.more) return { interactions, nextPageToken: encodePosition(window.end) };
  return { interactions };
}

/**
 * The window of this call: the position of the `limit`-th of the owner's rows after `after` (expired ones
 * count: they are examined too), and whether any row lies beyond it. `undefined` when fewer rows are left.
 */
function scanWindow(
  sql: Statements,
  owner: string | null,
  after: Position | undefined,
  limit: number,
): ScanWindow | undefined {
  const offset = atLeastOne(limit) - 1;
  // Two rows: the window's last, and the first beyond it if there is one.
  const rows = after
    ? sql.all(
        `SELECT created, id FROM interactions WHERE owner IS ? AND (created, id) < (?, ?)
          ORDER BY created DESC, id DESC LIMIT 2 OFFSET ?`,
        owner,
        ...after,
        offset,
      )
    : sql.all(
        'SELECT created, id FROM interactions WHERE owner IS ? ORDER BY created DESC, id DESC LIMIT 2 OFFSET ?',
        owner,
        offset,
      );
  const [end] = rows;
  return end ? { end: [String(end.created), String(end.id)], more: rows.length > 1 } : undefined;
}

/** SQLite's `lower()` folds ASCII letters only; the needle is folded the same way so both sides agree. */
export const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function toSummary(row: Row): InteractionSummary {
  const summary: InteractionSummary = {
    id: String(row.id),
    status: String(row.status) as InteractionStatus,
    created: String(row.created),
    updated: String(row.updated),
    background: row.background === 1,
    inputCount: Number(row.input_count ?? 0),
  };
  if (row.model != null) summary.model = String(row.model);
  if (row.agent != null) summary.agent = String(row.agent);
  if (row.previous_id != null) summary.previousId = String(row.previous_id);
  if (row.usage_json != null) summary.usage = JSON.parse(String(row.usage_json)) as Usage;
  if (row.error_json != null) summary.error = JSON.parse(String(row.error_json)) as ErrorBody;
  if (row.input_preview != null) summary.inputPreview = String(row.input_preview);
  return summary;
}
