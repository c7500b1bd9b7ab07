/**
 * The edge: every request passes here. Routing, authentication, revision, dispatch — and the one place that
 * turns anything thrown into an error response (or an `error` event on a stream already under way), so a bad
 * request never crashes the process and never gets a 500 unless the server itself failed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_REVISION_HEADER,
  encodeSseEvent,
  InteractionsError,
  revisionFromHeader,
  SSE_DONE_FRAME,
} from '@interplay/protocol';
import type { KeyRing } from '../auth/keys.ts';
import { sendFilesError } from '../files/errors.ts';
import { handleDeleteFile, handleGetFile, handleListFiles, handleUpload } from '../files/routes.ts';
import { INSPECTOR_HANDLERS } from '../inspector/handlers.ts';
import { WEBHOOK_HANDLERS } from '../webhooks/routes.ts';
import { handleCreateAgent, handleDeleteAgent, handleGetAgent, handleListAgents } from './agents.ts';
import type { RequestContext, Services } from './context.ts';
import { handleCancel, handleCreate, handleDelete, handleGet } from './interactions.ts';
import { sendError, sendJson, toInteractionsError } from './respond.ts';
import { matchRoute, type RouteKind } from './router.ts';

const REVISION_HEADER = API_REVISION_HEADER.toLowerCase();

type Handler = (ctx: RequestContext) => Promise<void>;

/**
 * A group of routes with its own error shape, like a sub-application's `onError` in Hono: whatever a route of
 * the group throws (auth included) is answered by the group's `onError`.
 */
interface SubRouter {
  handlers: Partial<Record<RouteKind, Handler>>;
  /** Writes `error` as this API's clients expect it (no header is sent yet). */
  onError(res: ServerResponse, error: InteractionsError, headers: Record<string, string>): void;
}

/** The Interactions API (and the health check): the `{"error":{"code","message"}}` envelope. */
const INTERACTIONS: SubRouter = {
  handlers: {
    'interactions.create': handleCreate,
    'interactions.get': handleGet,
    'interactions.delete': handleDelete,
    'interactions.cancel': handleCancel,
    'agents.create': handleCreateAgent,
    'agents.list': handleListAgents,
    'agents.get': handleGetAgent,
    'agents.delete': handleDeleteAgent,
    health: async (ctx) => sendJson(ctx.res, 200, { status: 'ok' }),
  },
  onError: sendError,
};

/** The inspector's page and its JSON API: the Interactions envelope. */
const INSPECTOR: SubRouter = { handlers: INSPECTOR_HANDLERS, onError: sendError };

/** The webhooks resource (and the public keys of its signatures): the Interactions envelope. */
const WEBHOOKS: SubRouter = { handlers: WEBHOOK_HANDLERS, onError: sendError };

/** The Files API: Google's classic error shape (files/errors.ts). */
const FILES: SubRouter = {
  handlers: {
    'files.upload': handleUpload,
    'files.list': handleListFiles,
    'files.get': handleGetFile,
    'files.delete': handleDeleteFile,
  },
  onError: sendFilesError,
};

const ROUTERS: readonly SubRouter[] = [INTERACTIONS, INSPECTOR, WEBHOOKS, FILES];

/** Each route's handler and the group it belongs to (the first group that handles it), looked up once. */
const ROUTE_HANDLERS = new Map<RouteKind, { router: SubRouter; handler: Handler }>();
for (const router of ROUTERS) {
  for (const [kind, handler] of Object.entries(router.handlers) as [RouteKind, Handler | undefined][]) {
    if (handler && !ROUTE_HANDLERS.has(kind)) ROUTE_HANDLERS.set(kind, { router, handler });
  }
}

function routeHandler(kind: RouteKind): { router: SubRouter; handler: Handler } {
  const found = ROUTE_HANDLERS.get(kind);
  if (!found) throw new Error(`No handler for route ${kind}`);
  return found;
}

export function createRequestHandler(
  services: Services,
  keys: KeyRing,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res, services, keys).catch((err: unknown) => fail(res, INTERACTIONS, err, services));
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  keys: KeyRing,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const method = req.method ?? 'GET';
  const match = matchRoute(method, pathname);
  if (!match.ok) {
    req.resume();
    if (match.status === 404) {
      fail(
        res,
        INTERACTIONS,
        new InteractionsError('not_found', `No route for ${method} ${pathname}.`),
        services,
      );
      return;
    }
    res.setHeader('allow', match.allow.join(', '));
    const error = new InteractionsError(
      'invalid_request',
      `Method ${method} is not allowed on ${pathname}.`,
      {
        status: 405,
      },
    );
    fail(res, INTERACTIONS, error, services);
    return;
  }
  const { route } = match;
  const { router, handler } = routeHandler(route.kind);
  try {
    // An upload session URL is a capability (as with Google's): its chunks carry no API key. The inspector's
    // files hold no data: the page asks for a key when the server has them.
    const anonymous =
      route.kind === 'health' ||
      route.kind === 'inspector.asset' ||
      route.kind === 'webhooks.jwks' ||
      (route.kind === 'files.upload' && query.has('upload_id'));
    let owner: string | null = null;
    if (!anonymous) {
      try {
        owner = keys.authenticate(req.headers, query);
      } catch (err) {
        req.resume();
        throw err;
      }
    }
    const header = req.headers[REVISION_HEADER];
    const revision =
      revisionFromHeader(Array.isArray(header) ? header[0] : header) ?? services.options.defaultRevision;
    const host = req.headers.host ?? `${services.options.host}:${services.options.port}`;
    await handler({
      req,
      res,
      route,
      query,
      owner,
      revision,
      baseUrl: services.options.publicUrl ?? `http://${host}`,
      services,
    });
  } catch (err) {
    fail(res, router, err, services);
  }
}

/** Answer anything thrown: the router's error response, or an `error` event on a stream already under way. */
function fail(res: ServerResponse, router: SubRouter, err: unknown, services: Services): void {
  const error = toInteractionsError(err);
  // A 503 is the server refusing work while it shuts down, not a failure: server.ts counts them and logs one
  // summary line per shutdown.
  const refusal = error.status === 503;
  if (error.status >= 500 && !refusal) services.logger.error({ err }, 'request failed');
  else if (!refusal) services.logger.debug({ code: error.code, status: error.status }, 'request rejected');
  try {
    if (res.headersSent) {
      // A stream under way: report in-band, then end it.
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream') && !res.writableEnded) {
        const event = { event_type: 'error', error: { code: error.code, message: error.message } };
        res.write(encodeSseEvent(event));
        res.end(SSE_DONE_FRAME);
      } else if (!res.writableEnded) res.end();
      return;
    }
    router.onError(res, error, error.status === 413 ? { connection: 'close' } : {});
  } catch (writeErr) {
    services.logger.error({ err: writeErr }, 'could not send an error response');
    res.destroy();
  }
}
