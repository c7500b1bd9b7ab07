/**
 * Assembling a chain's history from its rows, the same for every store: which rows are the head's ancestors,
 * and their items joined into one array.
 */
import type { InteractionStatus, Item } from '@interplay/protocol';
import type { HistoryChain } from './store.ts';

/** The owner and status of a row as the stores read them. */
export function chainHead(row: ChainRow): NonNullable<HistoryChain['head']> {
  return { owner: row.owner == null ? null : String(row.owner), status: row.status as InteractionStatus };
}

/**
 * A row of a chain read: `id, previous_id, depth, expires_at, items`, where `items` is the row's input and
 * output items as one JSON array body (migrations.ts `CHAIN_ITEMS_SQL`; `turnItems` from the two columns).
 */
export type ChainRow = Record<string, unknown>;

/** A row read as an array of the columns `id, previous_id, depth, expires_at, items`. */
export function chainRow(columns: unknown[]): ChainRow {
  const [id, previous_id, depth, expires_at, items] = columns;
  return { id, previous_id, depth, expires_at, items };
}

/**
 * What `CHAIN_ITEMS_SQL` computes, for a store that reads the two JSON columns: the bodies of the input and
 * output arrays joined by a comma, `''` when both are empty.
 *
 * @example
 * ```ts
 * turnItems('[{"type":"user_input"}]', '[]'); // '{"type":"user_input"}'
 * ```
 */
export function turnItems(inputJson: string, outputJson: string): string {
  if (inputJson === '[]') return outputJson.slice(1, -1);
  if (outputJson === '[]') return inputJson.slice(1, -1);
  return `${inputJson.slice(1, -1)},${outputJson.slice(1, -1)}`;
}

/**
 * The chain ending at `headId`, oldest first, from `rows` (possibly with other branches): from the head, each
 * previous link while it is among them with a smaller depth — a link that is missing (deleted, expired) ends
 * the chain, as it does for a link-by-link read.
 */
export function ancestry<R extends ChainRow>(headId: string, rows: readonly R[]): R[] {
  if (isChainTo(headId, rows)) return rows.slice();
  const byId = new Map<string, R>();
  for (const row of rows) byId.set(String(row.id), row);
  const chain: R[] = [];
  let row = byId.get(headId);
  while (row) {
    chain.push(row);
    const previous: R | undefined = row.previous_id == null ? undefined : byId.get(String(row.previous_id));
    row = previous && Number(previous.depth) < Number(row.depth) ? previous : undefined;
  }
  return chain.reverse();
}

/**
 * Whether `rows`, as read, are already the chain ending at `headId` (the usual case: a chain never branched),
 * each row continuing the one before it at a greater depth: then the walk of `ancestry` would keep them all.
 */
function isChainTo(headId: string, rows: readonly ChainRow[]): boolean {
  const last = rows.at(-1);
  if (last === undefined || String(last.id) !== headId) return false;
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] as ChainRow;
    const previous = rows[i - 1] as ChainRow;
    if (row.previous_id == null || String(row.previous_id) !== String(previous.id)) return false;
    if (!(Number(previous.depth) < Number(row.depth))) return false;
  }
  return true;
}

/**
 * The history of `links` (oldest first): one JSON.parse for all of it, the rows' items joined as text.
 * `head` is the owner and status of the interaction the chain was read for, when it was found.
 */
export function chainHistory(links: readonly ChainRow[], head?: HistoryChain['head']): HistoryChain {
  const ids: string[] = [];
  const parts: string[] = [];
  let expiresAt = Number.POSITIVE_INFINITY;
  for (const row of links) {
    ids.push(String(row.id));
    expiresAt = Math.min(expiresAt, Number(row.expires_at));
    const items = String(row.items);
    if (items !== '') parts.push(items);
  }
  const text = parts.length === 0 ? '' : `[${parts.join(',')}]`;
  const items = text === '' ? [] : (JSON.parse(text) as Item[]);
  return { items, ids, expiresAt, bytes: text.length, ...(head ? { head } : {}) };
}
