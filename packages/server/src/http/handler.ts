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
import type { RequestContext, Services } from './context.ts';
import { handleCancel, handleCreate, handleDelete, handleGet } from './interactions.ts';
import { sendError, sendJson, toInteractionsError } from './respond.ts';
import { matchRoute, type Route } from './router.ts';

const REVISION_HEADER = API_REVISION_HEADER.toLowerCase();

type Handler = (ctx: RequestContext) => Promise<void>;

const HANDLERS: Record<Route['kind'], Handler> = {
  'interactions.create': handleCreate,
  'interactions.get': handleGet,
  'interactions.delete': handleDelete,
  'interactions.cancel': handleCancel,
  'files.upload': handleUpload,
  'files.list': handleListFiles,
  'files.get': handleGetFile,
  'files.delete': handleDeleteFile,
  health: async (ctx) => sendJson(ctx.res, 200, { status: 'ok' }),
  ...INSPECTOR_HANDLERS,
  ...WEBHOOK_HANDLERS,
};

export function createRequestHandler(
  services: Services,
  keys: KeyRing,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let files = false;
    handle(req, res, services, keys, (isFiles) => {
      files = isFiles;
    }).catch((err: unknown) => fail(res, err, services, files));
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  keys: KeyRing,
  markFiles: (files: boolean) => void,
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
      throw new InteractionsError('not_found', `No route for ${method} ${pathname}.`);
    }
    res.setHeader('allow', match.allow.join(', '));
    throw new InteractionsError('invalid_request', `Method ${method} is not allowed on ${pathname}.`, {
      status: 405,
    });
  }
  const { route } = match;
  markFiles(route.kind.startsWith('files.'));
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
  const ctx: RequestContext = {
    req,
    res,
    route,
    query,
    owner,
    revision,
    baseUrl: services.options.publicUrl ?? `http://${host}`,
    services,
  };
  await HANDLERS[route.kind](ctx);
}

function fail(res: ServerResponse, err: unknown, services: Services, files: boolean): void {
  const error = toInteractionsError(err);
  // A 503 is the server refusing work while it shuts down, not a failure: server.ts counts them and logs one
  // summary line per shutdown (a line each, with a stack, was 19,072 lines in 4 s under 64 clients).
  const refusal = error.status === 503;
  if (error.status >= 500 && !refusal) services.logger.error({ err }, 'request failed');
  else if (!refusal) services.logger.debug({ code: error.code, status: error.status }, 'request rejected');
  answer(res, error, services, files);
}

function answer(res: ServerResponse, error: InteractionsError, services: Services, files: boolean): void {
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
    const headers: Record<string, string> = {};
    if (error.status === 413) headers.connection = 'close';
    if (files) sendFilesError(res, error, headers);
    else sendError(res, error, headers);
  } catch (writeErr) {
    services.logger.error({ err: writeErr }, 'could not send an error response');
    res.destroy();
  }
}
