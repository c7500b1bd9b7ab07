/** The Interaction resource of both revisions (reference §3.4, §4.2). Parsed leniently by clients. */
import { z } from 'zod';
import type { Content, Turn } from '../wire/content.ts';
import type { Step } from '../wire/step.ts';
import type { Tool } from '../wire/tool.ts';
import { statusSchema, usageSchema } from './common.ts';
import { agentConfigSchema, generationConfigSchema, webhookConfigSchema } from './config.ts';
import { jsonObject, openEnum, type SchemaContext } from './context.ts';

interface InteractionDeps {
  tool: z.ZodType<Tool>;
  /** The revision's create-request `input` schema, for the `include_input=true` echo. */
  input: z.ZodType;
}

function baseShape(ctx: SchemaContext, deps: InteractionDeps) {
  return {
    id: z.string(),
    status: statusSchema(ctx),
    // `"interaction"` in every doc example; dropped from later SDK types.
    object: openEnum(ctx, ['interaction']).optional(),
    model: z.string().optional(),
    agent: z.string().optional(),
    created: z.string().optional(),
    updated: z.string().optional(),
    usage: usageSchema(ctx).optional(),
    input: deps.input.optional(),
    // Echoes of the request.
    previous_interaction_id: z.string().optional(),
    system_instruction: z.string().optional(),
    tools: z.array(deps.tool).optional(),
    generation_config: generationConfigSchema(ctx).optional(),
    agent_config: agentConfigSchema(ctx).optional(),
    response_format: z.unknown().optional(),
    response_mime_type: z.string().optional(),
    response_modalities: z.array(z.string()).optional(),
    service_tier: z.string().optional(),
    webhook_config: webhookConfigSchema().optional(),
  };
}

export function legacyInteractionSchema(
  ctx: SchemaContext,
  deps: InteractionDeps & { content: z.ZodType<Content> },
) {
  return z.looseObject({
    ...baseShape(ctx, deps),
    input: (deps.input as z.ZodType<string | Content | Content[] | Turn[]>).optional(),
    /** `"model"` for model runs, `"agent"` for agent runs. */
    role: z.string().optional(),
    outputs: z.array(deps.content).optional(),
  });
}

export function stepsInteractionSchema(
  ctx: SchemaContext,
  deps: InteractionDeps & { step: z.ZodType<Step> },
) {
  return z.looseObject({
    ...baseShape(ctx, deps),
    steps: z.array(deps.step).optional(),
    errors: z
      .array(z.looseObject({ code: z.string().optional(), message: z.string().optional() }))
      .optional(),
    labels: z.record(z.string(), z.string()).optional(),
    environment: z.unknown().optional(),
    environment_id: z.string().optional(),
    continuation_token: z.string().optional(),
    safety_settings: z.array(jsonObject()).optional(),
  });
}
