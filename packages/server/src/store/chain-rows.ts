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

/**
 * A chain's continued turns read as one aggregate row, in the order the read returned them (every aggregate of
 * a statement sees its rows in the same order): their count, their ids, previous ids and depths each joined by
 * a space, their earliest expiry and their items joined by commas (`null` when every turn is empty).
 */
export interface JoinedTurns {
  turns: number;
  ids: string;
  previousIds: string;
  depths: string;
  expiresAt: number;
  items: string | null;
}

/**
 * The history of the chain ending at `headId` from its root row (`undefined` when not read: expired, deleted)
 * and its continued turns as one aggregate row, when those turns are that chain as they are: each continuing
 * the one before at a greater depth, the last the head. `undefined` otherwise (a root with branches, a missing
 * link, an id holding the separator): then the caller reads the turns row by row and walks them (`ancestry`).
 * What it returns is what `chainHistory(ancestry(headId, [root, ...turns]))` returns for the same rows.
 */
export function joinedChain(
  headId: string,
  root: ChainRow | undefined,
  joined: JoinedTurns,
  head?: HistoryChain['head'],
): HistoryChain | undefined {
  const turns = Number(joined.turns);
  if (turns === 0) {
    if (root === undefined || String(root.id) !== headId) return undefined;
    return chainHistory([root], head);
  }
  const ids = String(joined.ids).split(' ');
  const previousIds = String(joined.previousIds).split(' ');
  const depths = String(joined.depths).split(' ');
  if (ids.length !== turns || previousIds.length !== turns || depths.length !== turns) return undefined;
  if (ids[turns - 1] !== headId) return undefined;
  for (let i = 1; i < turns; i++) {
    if (previousIds[i] !== ids[i - 1] || !(Number(depths[i - 1]) < Number(depths[i]))) return undefined;
  }
  // The first turn continues the root when it is there; else the chain begins with that turn (its link is gone).
  const withRoot = root !== undefined && previousIds[0] === String(root.id);
  let expiresAt = Number(joined.expiresAt);
  let text = joined.items == null ? '' : String(joined.items);
  if (withRoot) {
    ids.unshift(String(root.id));
    expiresAt = Math.min(expiresAt, Number(root.expires_at));
    const rootItems = String(root.items);
    if (rootItems !== '') text = text === '' ? rootItems : `${rootItems},${text}`;
  }
  if (text !== '') text = `[${text}]`;
  const items = text === '' ? [] : (JSON.parse(text) as Item[]);
  return { items, ids, expiresAt, bytes: text.length, ...(head ? { head } : {}) };
}
