/**
 * Page tokens of the stores' keyset paging: the position — `(created, id)` of an interaction, `(created,
 * name)` of a file — after which the next page starts. Opaque to clients.
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
