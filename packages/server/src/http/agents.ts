/**
 * The agents resource (`/{version}/agents`): create, list (paged), get and delete the caller's custom
 * agents, in the live API's shape (`@google/genai` 3.6 `ai.agents`). Running one is an ordinary create
 * with `agent: <id>` (agents/custom/expand.ts).
 */
import { InteractionsError } from '@interplay/protocol';
import { parseAgentBody } from '../agents/custom/agent-resource.ts';
import { parseJsonObject, readBody } from './body.ts';
import type { RequestContext } from './context.ts';
import { badRequest, sendJson } from './respond.ts';

const MAX_PAGE = 100;

const missing = (id: string) =>
  new InteractionsError('not_found', `Agent '${id}' was not found.`, { field: 'id' });

export async function handleCreateAgent(ctx: RequestContext): Promise<void> {
  const { services } = ctx;
  const body = parseJsonObject(await readBody(ctx.req, services.options.bodyLimit));
  const agent = parseAgentBody(body);
  await services.agents.createAgent(ctx.owner, agent);
  sendJson(ctx.res, 200, agent);
}

export async function handleListAgents(ctx: RequestContext): Promise<void> {
  const sizeParam = ctx.query.get('page_size') ?? ctx.query.get('pageSize');
  let pageSize = 50;
  if (sizeParam !== null && sizeParam !== '') {
    pageSize = Number(sizeParam);
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw badRequest('page_size must be a positive integer.', 'page_size');
    }
    pageSize = Math.min(pageSize, MAX_PAGE);
  }
  const token = ctx.query.get('page_token') ?? ctx.query.get('pageToken') ?? undefined;
  const page = await ctx.services.agents.listAgents(ctx.owner, pageSize, token || undefined);
  sendJson(ctx.res, 200, {
    agents: page.agents,
    ...(page.nextPageToken === undefined ? {} : { next_page_token: page.nextPageToken }),
  });
}

export async function handleGetAgent(ctx: RequestContext): Promise<void> {
  const id = ctx.route.id ?? '';
  const agent = await ctx.services.agents.getAgent(ctx.owner, id);
  if (!agent) throw missing(id);
  sendJson(ctx.res, 200, agent);
}

export async function handleDeleteAgent(ctx: RequestContext): Promise<void> {
  const id = ctx.route.id ?? '';
  if (!(await ctx.services.agents.deleteAgent(ctx.owner, id))) throw missing(id);
  sendJson(ctx.res, 200, {});
}
