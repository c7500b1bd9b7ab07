/**
 * URL → route. Interactions live under `/{v1beta|v1|v1alpha}/interactions` (Vertex clients add
 * `projects/:p/locations/:l/` and use `v1beta1`); the Files API under `/{ver}/files` and `/upload/{ver}/files`.
 */

import { type InspectorRouteKind, inspectorRoute } from '../inspector/routes.ts';
import { type WebhookRouteKind, webhookRoutes } from '../webhooks/routes.ts';
import { decodeSegment } from './path-segment.ts';

export type RouteKind =
  | 'interactions.create'
  | 'interactions.get'
  | 'interactions.delete'
  | 'interactions.cancel'
  | 'files.upload'
  | 'files.list'
  | 'files.get'
  | 'files.delete'
  | 'agents.create'
  | 'agents.list'
  | 'agents.get'
  | 'agents.delete'
  | 'health'
  | InspectorRouteKind
  | WebhookRouteKind;

export interface Route {
  kind: RouteKind;
  /** Interaction id, file id (without `files/`) or agent id. */
  id?: string;
  /** API version path segment. */
  version?: string;
  /** Path below `/inspector/` of an inspector file. */
  asset?: string;
}

export type RouteMatch =
  | { ok: true; route: Route }
  | { ok: false; status: 404 }
  | { ok: false; status: 405; allow: string[] };

const VERSIONS = new Set(['v1beta', 'v1', 'v1alpha', 'v1beta1']);

function byMethod(method: string, table: Partial<Record<string, Route>>): RouteMatch {
  const route = table[method] ?? (method === 'HEAD' ? table.GET : undefined);
  if (route) return { ok: true, route };
  return { ok: false, status: 405, allow: Object.keys(table) };
}

export function matchRoute(method: string, pathname: string): RouteMatch {
  let parts = pathname.split('/');
  // Leading slash gives an empty first part; tolerate one trailing slash and doubled slashes.
  parts = parts.filter((p) => p !== '');
  if (parts.length === 1 && (parts[0] === 'healthz' || parts[0] === 'health')) {
    return byMethod(method, { GET: { kind: 'health' } });
  }
  if (parts[0] === 'inspector') {
    const route = inspectorRoute(parts.slice(1));
    return route ? byMethod(method, { GET: route }) : { ok: false, status: 404 };
  }
  if (parts.length === 2 && parts[0] === '.well-known' && parts[1] === 'jwks.json') {
    return byMethod(method, { GET: { kind: 'webhooks.jwks' } });
  }
  let upload = false;
  if (parts[0] === 'upload') {
    upload = true;
    parts = parts.slice(1);
  }
  const version = parts[0];
  if (version === undefined || !VERSIONS.has(version)) return { ok: false, status: 404 };
  let rest = parts.slice(1);
  if (rest[0] === 'projects' && rest[2] === 'locations' && rest.length >= 4) rest = rest.slice(4);

  if (upload) {
    if (rest.length === 1 && rest[0] === 'files') {
      return byMethod(method, {
        POST: { kind: 'files.upload', version },
        PUT: { kind: 'files.upload', version },
      });
    }
    return { ok: false, status: 404 };
  }

  const webhooks = webhookRoutes(rest);
  if (webhooks) {
    if (Object.keys(webhooks).length === 0) return { ok: false, status: 404 };
    const table: Partial<Record<string, Route>> = {};
    for (const [m, r] of Object.entries(webhooks)) if (r) table[m] = { ...r, version };
    return byMethod(method, table);
  }
  const [collection, rawId, action] = rest;
  if (collection === 'interactions') {
    if (rest.length === 1) return byMethod(method, { POST: { kind: 'interactions.create', version } });
    const id = rawId === undefined ? undefined : decodeSegment(rawId);
    if (id === undefined) return { ok: false, status: 404 };
    if (rest.length === 2) {
      // `{id}:cancel` is the proto-style spelling of the cancel route.
      if (id.endsWith(':cancel')) {
        return byMethod(method, { POST: { kind: 'interactions.cancel', version, id: id.slice(0, -7) } });
      }
      return byMethod(method, {
        GET: { kind: 'interactions.get', version, id },
        DELETE: { kind: 'interactions.delete', version, id },
      });
    }
    if (rest.length === 3 && action === 'cancel') {
      return byMethod(method, { POST: { kind: 'interactions.cancel', version, id } });
    }
    return { ok: false, status: 404 };
  }
  if (collection === 'agents') {
    if (rest.length === 1) {
      return byMethod(method, {
        POST: { kind: 'agents.create', version },
        GET: { kind: 'agents.list', version },
      });
    }
    const id = rawId === undefined ? undefined : decodeSegment(rawId);
    if (id === undefined || rest.length !== 2) return { ok: false, status: 404 };
    return byMethod(method, {
      GET: { kind: 'agents.get', version, id },
      DELETE: { kind: 'agents.delete', version, id },
    });
  }
  if (collection === 'files') {
    if (rest.length === 1) return byMethod(method, { GET: { kind: 'files.list', version } });
    const id = rawId === undefined ? undefined : decodeSegment(rawId);
    if (id === undefined || rest.length !== 2) return { ok: false, status: 404 };
    return byMethod(method, {
      GET: { kind: 'files.get', version, id },
      DELETE: { kind: 'files.delete', version, id },
    });
  }
  return { ok: false, status: 404 };
}
