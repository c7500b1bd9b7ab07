/**
 * The webhooks resource over HTTP, as SDK 3.6's `client.webhooks` calls it: `POST /{ver}/webhooks`
 * (`?webhook_id=`), `GET /{ver}/webhooks` (`page_size`, `page_token`), `GET|PATCH|DELETE /{ver}/webhooks/{id}`
 * (`?update_mask=`), `POST /{ver}/webhooks/{id}:ping`, `POST /{ver}/webhooks/{id}:rotateSigningSecret`; and the
 * public keys of per-request deliveries at `GET /.well-known/jwks.json`.
 */
import { InteractionsError } from '@interplay/protocol';
import { parseJsonObject, readBody } from '../http/body.ts';
import type { RequestContext } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';
import type { WebhookService } from './webhook-service.ts';

export type WebhookRouteKind =
  | 'webhooks.create'
  | 'webhooks.list'
  | 'webhooks.get'
  | 'webhooks.update'
  | 'webhooks.delete'
  | 'webhooks.ping'
  | 'webhooks.rotate'
  | 'webhooks.jwks';

type Methods = Partial<Record<string, { kind: WebhookRouteKind; id?: string }>>;

/** The routes under `/{ver}/webhooks…` (`rest` = the path after the version), or undefined when not ours. */
export function webhookRoutes(rest: readonly string[]): Methods | undefined {
  if (rest[0] !== 'webhooks') return undefined;
  if (rest.length === 1) return { POST: { kind: 'webhooks.create' }, GET: { kind: 'webhooks.list' } };
  let raw: string;
  try {
    raw = decodeURIComponent(rest[1] as string);
  } catch {
    return {};
  }
  if (rest.length === 3 && rest[2] === 'rotate_secret') return { POST: { kind: 'webhooks.rotate', id: raw } };
  if (rest.length !== 2 || raw === '') return {};
  // The proto-style custom methods: `{id}:ping`, `{id}:rotateSigningSecret`.
  const colon = raw.lastIndexOf(':');
  if (colon > 0) {
    const id = raw.slice(0, colon);
    const action = raw.slice(colon + 1);
    if (action === 'ping') return { POST: { kind: 'webhooks.ping', id } };
    if (action === 'rotateSigningSecret') return { POST: { kind: 'webhooks.rotate', id } };
    return {};
  }
  return {
    GET: { kind: 'webhooks.get', id: raw },
    PATCH: { kind: 'webhooks.update', id: raw },
    DELETE: { kind: 'webhooks.delete', id: raw },
  };
}

function service(ctx: RequestContext): WebhookService {
  const webhooks = ctx.services.webhooks;
  if (!webhooks) {
    throw new InteractionsError('unimplemented', 'Webhooks are not available with this server’s store.', {
      status: 501,
    });
  }
  return webhooks;
}

/** A JSON object body; an empty body counts as `{}` (the SDK sends none for some calls). */
async function body(ctx: RequestContext): Promise<Record<string, unknown>> {
  const raw = await readBody(ctx.req, ctx.services.options.bodyLimit);
  return raw.length === 0 ? {} : parseJsonObject(raw);
}

const id = (ctx: RequestContext) => ctx.route.id as string;

export const WEBHOOK_HANDLERS: Record<WebhookRouteKind, (ctx: RequestContext) => Promise<void>> = {
  'webhooks.create': async (ctx) => {
    const requested = ctx.query.get('webhook_id') || undefined;
    sendJson(ctx.res, 200, await service(ctx).create(ctx.owner, await body(ctx), requested));
  },
  'webhooks.list': async (ctx) => sendJson(ctx.res, 200, await service(ctx).list(ctx.owner, ctx.query)),
  'webhooks.get': async (ctx) => sendJson(ctx.res, 200, await service(ctx).get(ctx.owner, id(ctx))),
  'webhooks.update': async (ctx) => {
    const mask = ctx.query.get('update_mask') || undefined;
    sendJson(ctx.res, 200, await service(ctx).update(ctx.owner, id(ctx), await body(ctx), mask));
  },
  'webhooks.delete': async (ctx) => sendJson(ctx.res, 200, await service(ctx).delete(ctx.owner, id(ctx))),
  'webhooks.ping': async (ctx) => {
    await body(ctx);
    sendJson(ctx.res, 200, await service(ctx).ping(ctx.owner, id(ctx)));
  },
  'webhooks.rotate': async (ctx) =>
    sendJson(ctx.res, 200, await service(ctx).rotateSigningSecret(ctx.owner, id(ctx), await body(ctx))),
  'webhooks.jwks': async (ctx) => sendJson(ctx.res, 200, await service(ctx).jwks()),
};
