/**
 * The stores' keyset paging: page tokens — the position, `(created, id)` of an interaction, `(created, name)`
 * of a file, after which the next page starts; opaque to clients — and the page cut from rows read one past
 * its size. Both stores and both lists (interactions, files) page this way.
 */
import { StoreError } from './store.ts';

export type Position = [created: string, key: string];

export const encodePosition = (position: Position): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

/** A `StoreError('invalid_page_token')` for anything this module did not make. */
export function decodePosition(token: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as Position;
    }
  } catch {
    // fall through
  }
  throw new StoreError('invalid_page_token', 'Invalid page token');
}

/** A requested count (a page size, a scan limit) as a whole number, at least 1. */
export const atLeastOne = (count: number): number => Math.max(1, Math.trunc(count) || 1);

/**
 * The page from rows read one past its `size` (the extra row tells whether another page exists): the first
 * `size` rows as items, and when the extra row came, the token of the last item's position.
 */
export function keysetPage<R, T>(
  rows: readonly R[],
  size: number,
  toItem: (row: R) => T,
  positionOf: (item: T) => Position,
): { items: T[]; nextPageToken?: string } {
  const items = rows.slice(0, size).map(toItem);
  const last = items.at(-1);
  return rows.length > size && last !== undefined
    ? { items, nextPageToken: encodePosition(positionOf(last)) }
    : { items };
}
