/**
 * Assembling a chain's history from its rows, the same for every store: which rows are the head's ancestors,
 * and their items joined into one array.
 */
import type { Item } from '@interplay/protocol';
import type { HistoryChain } from './store.ts';

/** A row of a chain read: `id, previous_id, depth, expires_at, input_json, output_json`. */
export type ChainRow = Record<string, unknown>;

/**
 * The chain ending at `headId`, oldest first, from `rows` (possibly with other branches): from the head, each
 * previous link while it is among them with a smaller depth — a link that is missing (deleted, expired) ends
 * the chain, as it does for a link-by-link read.
 */
export function ancestry<R extends ChainRow>(headId: string, rows: readonly R[]): R[] {
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

/** The history of `links` (oldest first): one JSON.parse for all of it, the rows' item arrays joined as text. */
export function chainHistory(links: readonly ChainRow[]): HistoryChain {
  const ids: string[] = [];
  const parts: string[] = [];
  let expiresAt = Number.POSITIVE_INFINITY;
  for (const row of links) {
    ids.push(String(row.id));
    expiresAt = Math.min(expiresAt, Number(row.expires_at));
    pushArrayBody(parts, String(row.input_json));
    pushArrayBody(parts, String(row.output_json));
  }
  if (parts.length === 0) return { items: [], ids, expiresAt, bytes: 0 };
  const text = `[${parts.join(',')}]`;
  return { items: JSON.parse(text) as Item[], ids, expiresAt, bytes: text.length };
}

/** Appends what is between the brackets of a JSON array text as the stores write it (`[]` adds nothing). */
function pushArrayBody(parts: string[], arrayJson: string): void {
  if (arrayJson.length > 2 && arrayJson.startsWith('[')) parts.push(arrayJson.slice(1, -1));
}
