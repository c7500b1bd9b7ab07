/** Create-interaction request bodies (reference §3.1, §3.6, §4.1) and the rules a schema can express. */
import { z } from 'zod';
import type { Content, MediaContent, Turn } from '../wire/content.ts';
import type { LegacyCreateRequest, StepsCreateRequest } from '../wire/request.ts';
import type { Step } from '../wire/step.ts';
import type { Tool } from '../wire/tool.ts';
import {
  agentConfigSchema,
  environmentSchema,
  generationConfigSchema,
  safetySettingSchema,
  serviceTierSchema,
  stepsResponseFormatSchema,
  webhookConfigSchema,
} from './config.ts';
import { checkedAs } from './conforms.ts';
import {
  caseInsensitiveEnum,
  type IssueParams,
  isPlainObject,
  jsonObject,
  type SchemaContext,
} from './context.ts';
import { dispatch, type IssueInit } from './open-union.ts';

const expectedInput: IssueInit = {
  code: 'custom',
  params: { kind: 'expected', expected: 'a string, an object or an array' },
};

/** A Turn has no `type` but a `role` or `content`; a list is Turn[] when its first entry is one. */
const looksLikeTurn = (v: unknown): boolean =>
  isPlainObject(v) && !('type' in v) && ('role' in v || 'content' in v);

/** Legacy `input`: string | Content | Content[] | Turn[]. */
// The dispatchers below pick among schemas built once: building a zod schema per request is costly.
const text = z.string();

export function legacyInputSchema(content: z.ZodType<Content>, turn: z.ZodType<Turn>) {
  const turns = z.array(turn);
  const contents = z.array(content);
  return dispatch<LegacyCreateRequest['input']>((v) => {
    if (typeof v === 'string') return { schema: text };
    if (Array.isArray(v)) return { schema: looksLikeTurn(v[0]) ? turns : contents };
    if (isPlainObject(v)) return { schema: content };
    return { issue: expectedInput };
  });
}

/** Steps `input`: string | Content | Content[] | Step[]; a list is Step[] unless its first entry is content. */
export function stepsInputSchema(
  media: z.ZodType<MediaContent>,
  step: z.ZodType<Step>,
  mediaTypes: string[],
) {
  const isMedia = (v: unknown) => isPlainObject(v) && mediaTypes.includes(v.type as string);
  const medias = z.array(media);
  const steps = z.array(step);
  return dispatch<StepsCreateRequest['input']>((v) => {
    if (typeof v === 'string') return { schema: text };
    if (Array.isArray(v)) return { schema: isMedia(v[0]) ? medias : steps };
    if (isPlainObject(v)) return { schema: media };
    return { issue: expectedInput };
  });
}

const present = (body: Record<string, unknown>, key: string) => body[key] !== undefined && body[key] !== null;

type RuleIssue = { path: string; message: string } | { path: 'input'; missing: true };

/**
 * Request-level rules, checked before the fields so the most basic problem is reported first:
 * exactly one of `model`/`agent`; `input` present; the SDK's mirror errors for `agent`+`generation_config`
 * and `model`+`agent_config` (reference §3.1). The first rule broken, or `undefined`.
 */
function brokenRule(body: Record<string, unknown>): RuleIssue | undefined {
  if (!present(body, 'model') && !present(body, 'agent')) {
    return { path: 'model', message: "Either 'model' or 'agent' is required." };
  }
  if (present(body, 'model') && present(body, 'agent')) {
    return { path: 'agent', message: "Specify either 'model' or 'agent', not both." };
  }
  if (body.input === undefined) return { path: 'input', missing: true };
  if (present(body, 'agent') && present(body, 'generation_config')) {
    return {
      path: 'generation_config',
      message: "Specified 'agent' and 'generation_config'. If specifying 'agent', use 'agent_config'.",
    };
  }
  if (present(body, 'model') && present(body, 'agent_config')) {
    return {
      path: 'agent_config',
      message: "Specified 'model' and 'agent_config'. If specifying 'model', use 'generation_config'.",
    };
  }
  return undefined;
}

function requestRules(body: unknown, ctx: z.core.$RefinementCtx<unknown>) {
  if (!isPlainObject(body)) return; // the object schema reports the type
  const broken = brokenRule(body);
  if (!broken) return;
  if ('missing' in broken) {
    ctx.addIssue({
      code: 'invalid_type',
      expected: 'string',
      path: ['input'],
      input: undefined,
      message: '',
    });
    return;
  }
  const { path, message } = broken;
  ctx.addIssue({
    code: 'custom',
    path: [path],
    message,
    params: { kind: 'rule', message } satisfies IssueParams,
  });
}

/**
 * The request schema: the rules, then the fields. A request is valid when both pass, so it is checked with
 * each on its own, which compiles to validators that build nothing (the pipe would be compiled to a copy).
 */
function withRules<T>(body: z.ZodType<T>): z.ZodType<T> {
  const rules = z.unknown().superRefine(requestRules);
  return checkedAs(rules.pipe(body), [rules, body]);
}

const MODALITIES = ['text', 'image', 'audio', 'video', 'document'];

interface RequestDeps {
  tool: z.ZodType<Tool>;
}

function commonShape(ctx: SchemaContext, deps: RequestDeps) {
  return {
    model: z.string().optional(),
    agent: z.string().optional(),
    system_instruction: z.string().optional(),
    tools: z.array(deps.tool).optional(),
    generation_config: generationConfigSchema(ctx).optional(),
    agent_config: agentConfigSchema(ctx).optional(),
    response_mime_type: z.string().optional(),
    // Tolerance: seeds send upper case (["IMAGE"]), the reference lower case; compared case-insensitively.
    response_modalities: z.array(caseInsensitiveEnum(ctx, MODALITIES)).optional(),
    stream: z.boolean().optional(),
    store: z.boolean().optional(),
    background: z.boolean().optional(),
    previous_interaction_id: z.string().optional(),
    service_tier: serviceTierSchema(ctx).optional(),
    webhook_config: webhookConfigSchema().optional(),
  };
}

export function legacyCreateRequestSchema(
  ctx: SchemaContext,
  deps: RequestDeps & { input: z.ZodType<LegacyCreateRequest['input']> },
) {
  const body = z.looseObject({
    ...commonShape(ctx, deps),
    input: deps.input,
    // A raw JSON Schema.
    response_format: jsonObject().optional(),
  });
  return withRules(body);
}

export function stepsCreateRequestSchema(
  ctx: SchemaContext,
  deps: RequestDeps & { input: z.ZodType<StepsCreateRequest['input']> },
) {
  const body = z.looseObject({
    ...commonShape(ctx, deps),
    input: deps.input,
    response_format: stepsResponseFormatSchema(ctx).optional(),
    environment: environmentSchema(ctx).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    safety_settings: z.array(safetySettingSchema(ctx)).optional(),
    continuation_token: z.string().optional(),
    cached_content: z.string().optional(),
  });
  return withRules(body);
}
