/**
 * The inspector's URLs, all under `/inspector`: the page and its assets (no key needed: they hold no data),
 * and the two JSON routes the page reads besides the Interactions API (authenticated like it):
 *
 * - `GET /inspector/api/interactions`: a page of the caller's interactions (list-api.ts);
 * - `GET /inspector/api/interactions/{id}`: what the page needs beyond the interaction resource.
 */

export type InspectorRouteKind = 'inspector.asset' | 'inspector.list' | 'inspector.get';

export interface InspectorRoute {
  kind: InspectorRouteKind;
  /** Interaction id (`inspector.get`). */
  id?: string;
  /** Asset path below `/inspector/` (`inspector.asset`); `''` is the page itself. */
  asset?: string;
}

export type InspectorMatch =
  | { ok: true; route: InspectorRoute }
  | { ok: false; status: 404 }
  | { ok: false; status: 405; allow: string[] };

/** `parts`: the path segments after `inspector`. */
export function matchInspectorRoute(method: string, parts: readonly string[]): InspectorMatch {
  let route: InspectorRoute | undefined;
  if (parts[0] === 'api') {
    if (parts[1] !== 'interactions') return { ok: false, status: 404 };
    if (parts.length === 2) route = { kind: 'inspector.list' };
    else if (parts.length === 3) {
      const id = decode(parts[2]!);
      if (id === undefined) return { ok: false, status: 404 };
      route = { kind: 'inspector.get', id };
    } else return { ok: false, status: 404 };
  } else {
    route = { kind: 'inspector.asset', asset: parts.join('/') };
  }
  if (method === 'GET' || method === 'HEAD') return { ok: true, route };
  return { ok: false, status: 405, allow: ['GET'] };
}

function decode(segment: string): string | undefined {
  try {
    const s = decodeURIComponent(segment);
    return s === '' ? undefined : s;
  } catch {
    return undefined;
  }
}
