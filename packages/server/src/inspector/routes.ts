/**
 * The inspector's URLs, all under `/inspector`: the page and its assets (no key needed: they hold no data),
 * and the two JSON routes the page reads besides the Interactions API (authenticated like it):
 *
 * - `GET /inspector/api/interactions`: a page of the caller's interactions (list-api.ts);
 * - `GET /inspector/api/interactions/{id}`: what the page needs beyond the interaction resource.
 */
import { decodeSegment } from '../http/path-segment.ts';

export type InspectorRouteKind = 'inspector.asset' | 'inspector.list' | 'inspector.get';

export interface InspectorRoute {
  kind: InspectorRouteKind;
  /** Interaction id (`inspector.get`). */
  id?: string;
  /** Asset path below `/inspector/` (`inspector.asset`); `''` is the page itself. */
  asset?: string;
}

/**
 * The inspector route of `parts` (the path segments after `inspector`), or `undefined` (404). Every one is
 * read-only: the router answers other methods than GET and HEAD with 405.
 */
export function inspectorRoute(parts: readonly string[]): InspectorRoute | undefined {
  if (parts[0] !== 'api') return { kind: 'inspector.asset', asset: parts.join('/') };
  if (parts[1] !== 'interactions') return undefined;
  if (parts.length === 2) return { kind: 'inspector.list' };
  if (parts.length !== 3) return undefined;
  const id = decodeSegment(parts[2]!);
  return id === undefined ? undefined : { kind: 'inspector.get', id };
}
