/** The inspector's route handlers: its static files, the list of interactions, and one interaction's extras. */
import { INTERACTION_STATUSES, type InteractionStatus } from '@interplay/protocol';
import type { RequestContext } from '../http/context.ts';
import { badRequest, notFound, sendJson } from '../http/respond.ts';
import {
  type InteractionPage,
  type InteractionQuery,
  type InteractionSummary,
  StoreError,
} from '../store/store.ts';
import { CONTENT_SECURITY_POLICY, loadAsset } from './assets.ts';
import type { InspectorRouteKind } from './routes.ts';

/** Rows per page when the page does not ask. */
export const DEFAULT_PAGE_SIZE = 20;
/** How many interactions continuing one the detail route names. */
export const CONTINUATIONS_SHOWN = 20;

const LIST_PARAMETERS = new Set([
  'page_size',
  'page_token',
  'status',
  'model',
  'agent',
  'q',
  'previous_interaction_id',
  'key',
]);

async function handleAsset(ctx: RequestContext): Promise<void> {
  const { req, res, route } = ctx;
  const asset = route.asset ?? '';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  // The page's relative URLs (scripts, API) need it addressed as a folder. A relative Location keeps any
  // prefix a reverse proxy put in front of the path.
  if (asset === '' && !pathname.endsWith('/')) {
    const folder = `${pathname.slice(pathname.lastIndexOf('/') + 1)}/`;
    res.writeHead(308, { location: `${folder}${q < 0 ? '' : url.slice(q)}`, 'content-length': 0 });
    res.end();
    return;
  }
  const loading = loadAsset(asset);
  if (!loading) throw notFound(`The inspector has no file '${asset}'.`);
  const { body, contentType } = await loading;
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

/** `GET /inspector/api/interactions`: `{ interactions: [...], next_page_token? }`, newest first. */
async function handleList(ctx: RequestContext): Promise<void> {
  const query = listQuery(ctx.query);
  let page: InteractionPage;
  try {
    page = await ctx.services.store.listInteractions(ctx.owner, query);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'invalid_page_token') {
      throw badRequest("Invalid 'page_token': pass the next_page_token of a previous page.", 'page_token');
    }
    throw err;
  }
  sendJson(ctx.res, 200, {
    interactions: page.interactions.map(summaryBody),
    ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
  });
}

/**
 * `GET /inspector/api/interactions/{id}`: what the page needs beyond the interaction resource — whether it
 * runs in the background (cancel applies), how many of its steps are its input, which interactions continue it.
 */
async function handleGet(ctx: RequestContext): Promise<void> {
  const id = ctx.route.id ?? '';
  const { store } = ctx.services;
  const record = await store.getInteraction(id, ctx.owner);
  if (!record) throw notFound(`Interaction '${id}' was not found.`);
  const next = await store.listInteractions(ctx.owner, { previousId: id, pageSize: CONTINUATIONS_SHOWN });
  sendJson(ctx.res, 200, {
    id: record.id,
    background: record.background,
    input_count: record.request.input.length,
    // Oldest first: the order a chain is read in.
    continued_by: next.interactions.map((i) => i.id).reverse(),
  });
}

function listQuery(params: URLSearchParams): InteractionQuery {
  for (const name of params.keys()) {
    if (!LIST_PARAMETERS.has(name)) {
      throw badRequest(
        `Unknown query parameter '${name}'; expected ${[...LIST_PARAMETERS].filter((p) => p !== 'key').join(', ')}.`,
        name,
      );
    }
  }
  const query: InteractionQuery = { pageSize: DEFAULT_PAGE_SIZE };
  const size = params.get('page_size');
  if (size !== null && size !== '') {
    const n = Number(size);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      throw badRequest(`'page_size' must be an integer from 1 to 100, got '${size}'.`, 'page_size');
    }
    query.pageSize = n;
  }
  const status = params.get('status');
  if (status) {
    if (!(INTERACTION_STATUSES as readonly string[]).includes(status)) {
      throw badRequest(
        `'status' must be one of ${INTERACTION_STATUSES.join(', ')}, got '${status}'.`,
        'status',
      );
    }
    query.status = status as InteractionStatus;
  }
  const text = (name: string) => {
    const value = params.get(name);
    return value === null || value === '' ? undefined : value;
  };
  const pageToken = text('page_token');
  if (pageToken !== undefined) query.pageToken = pageToken;
  const model = text('model');
  if (model !== undefined) query.model = model;
  const agent = text('agent');
  if (agent !== undefined) query.agent = agent;
  const previousId = text('previous_interaction_id');
  if (previousId !== undefined) query.previousId = previousId;
  const search = text('q')?.trim();
  if (search) query.text = search;
  return query;
}

/** A summary as JSON, in the wire's snake_case. */
function summaryBody(s: InteractionSummary): Record<string, unknown> {
  return {
    id: s.id,
    status: s.status,
    ...(s.model === undefined ? {} : { model: s.model }),
    ...(s.agent === undefined ? {} : { agent: s.agent }),
    created: s.created,
    updated: s.updated,
    ...(s.previousId === undefined ? {} : { previous_interaction_id: s.previousId }),
    background: s.background,
    ...(s.usage === undefined ? {} : { usage: s.usage }),
    ...(s.error === undefined ? {} : { error: s.error }),
    ...(s.inputPreview === undefined ? {} : { input_preview: s.inputPreview }),
    input_count: s.inputCount,
  };
}

export const INSPECTOR_HANDLERS: Record<InspectorRouteKind, (ctx: RequestContext) => Promise<void>> = {
  'inspector.asset': handleAsset,
  'inspector.list': handleList,
  'inspector.get': handleGet,
};
