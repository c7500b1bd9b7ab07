/**
 * Builds the schema set of one revision in one mode. Every schema is typed to its hand-written wire
 * type here, so a schema and its type cannot drift apart without a compile error.
 */
import type { z } from 'zod';
import type { Revision } from '../revision.ts';
import type { Annotation, ErrorEnvelope, Usage } from '../wire/common.ts';
import { type Content, MEDIA_CONTENT_TYPES, type MediaContent, type Turn } from '../wire/content.ts';
import type { LegacyDelta, LegacyEvent, StepDelta, StepsEvent } from '../wire/events.ts';
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import type {
  AgentConfig,
  GenerationConfig,
  LegacyCreateRequest,
  StepsCreateRequest,
} from '../wire/request.ts';
import type { Step } from '../wire/step.ts';
import type { Tool, ToolChoice } from '../wire/tool.ts';
import { annotationSchema, errorEnvelopeSchema, usageSchema } from './common.ts';
import { agentConfigSchema, generationConfigSchema } from './config.ts';
import { mediaVariants, toolContentVariants, turnSchema } from './content.ts';
import type { SchemaContext, SchemaMode } from './context.ts';
import {
  legacyDeltaSchema,
  legacyEventSchema,
  partialContentSchema,
  stepDeltaSchema,
  stepsEventSchema,
} from './events.ts';
import { legacyInteractionSchema, stepsInteractionSchema } from './interaction.ts';
import { openUnion } from './open-union.ts';
import {
  legacyCreateRequestSchema,
  legacyInputSchema,
  stepsCreateRequestSchema,
  stepsInputSchema,
} from './request.ts';
import { stepVariants } from './step.ts';
import { toolChoiceSchema, toolSchema } from './tool.ts';

export interface CommonSchemas {
  readonly revision: Revision;
  readonly mode: SchemaMode;
  annotation: z.ZodType<Annotation>;
  usage: z.ZodType<Usage>;
  mediaContent: z.ZodType<MediaContent>;
  tool: z.ZodType<Tool>;
  toolChoice: z.ZodType<ToolChoice>;
  generationConfig: z.ZodType<GenerationConfig>;
  agentConfig: z.ZodType<AgentConfig>;
  errorEnvelope: z.ZodType<ErrorEnvelope>;
}

export interface LegacySchemas extends CommonSchemas {
  readonly revision: 'legacy';
  /** The 20 legacy content variants. */
  content: z.ZodType<Content>;
  turn: z.ZodType<Turn>;
  input: z.ZodType<LegacyCreateRequest['input']>;
  createRequest: z.ZodType<LegacyCreateRequest>;
  interaction: z.ZodType<LegacyInteraction>;
  delta: z.ZodType<LegacyDelta>;
  event: z.ZodType<LegacyEvent>;
}

export interface StepsSchemas extends CommonSchemas {
  readonly revision: 'steps';
  step: z.ZodType<Step>;
  input: z.ZodType<StepsCreateRequest['input']>;
  createRequest: z.ZodType<StepsCreateRequest>;
  interaction: z.ZodType<StepsInteraction>;
  delta: z.ZodType<StepDelta>;
  event: z.ZodType<StepsEvent>;
}

function buildLegacy(mode: SchemaMode): LegacySchemas {
  const ctx: SchemaContext = { revision: 'legacy', mode };
  const annotation = annotationSchema(ctx);
  const media = mediaVariants(ctx, annotation);
  const tools = toolContentVariants(ctx, media);
  const variants = { ...media, ...tools };
  const content = openUnion(variants, { mode });
  const turn = turnSchema(ctx, content);
  const tool = toolSchema(ctx);
  const input = legacyInputSchema(content, turn);
  const interaction = legacyInteractionSchema(ctx, { tool, input, content });
  const delta = legacyDeltaSchema(media, tools, annotation);
  return {
    revision: 'legacy',
    mode,
    ...commonOf(ctx, annotation, openUnion(media, { mode }), tool),
    content,
    turn,
    input,
    createRequest: legacyCreateRequestSchema(ctx, { tool, input }),
    interaction,
    delta,
    event: legacyEventSchema(ctx, {
      interaction: interaction.partial().required({ id: true }),
      partialContent: partialContentSchema(variants),
      delta,
    }),
  };
}

function buildSteps(mode: SchemaMode): StepsSchemas {
  const ctx: SchemaContext = { revision: 'steps', mode };
  const annotation = annotationSchema(ctx);
  const media = mediaVariants(ctx, annotation);
  const tools = toolContentVariants(ctx, media);
  const stepsByType = stepVariants(ctx, openUnion(media, { mode }), tools);
  const mediaContent = openUnion(media, { mode });
  const step = openUnion(stepsByType, { mode });
  const tool = toolSchema(ctx);
  const input = stepsInputSchema(mediaContent, step, [...MEDIA_CONTENT_TYPES]);
  const interaction = stepsInteractionSchema(ctx, { tool, input, step });
  const delta = stepDeltaSchema(media, tools, stepsByType, annotation);
  return {
    revision: 'steps',
    mode,
    ...commonOf(ctx, annotation, mediaContent, tool),
    step,
    input,
    createRequest: stepsCreateRequestSchema(ctx, { tool, input }),
    interaction,
    delta,
    event: stepsEventSchema(ctx, { interaction: interaction.partial().required({ id: true }), step, delta }),
  };
}

function commonOf(
  ctx: SchemaContext,
  annotation: z.ZodType<Annotation>,
  mediaContent: z.ZodType<MediaContent>,
  tool: z.ZodType<Tool>,
) {
  return {
    annotation,
    usage: usageSchema(ctx),
    mediaContent,
    tool,
    toolChoice: toolChoiceSchema(ctx),
    generationConfig: generationConfigSchema(ctx),
    agentConfig: agentConfigSchema(ctx),
    errorEnvelope: errorEnvelopeSchema(),
  };
}

const cache: Record<Revision, Partial<Record<SchemaMode, LegacySchemas | StepsSchemas>>> = {
  legacy: {},
  steps: {},
};

/**
 * The schema set of a revision. `strict` validates what a client sends (create requests);
 * `lenient` (default) parses what a server sends (interactions, events). Built once, then cached.
 */
export function schemasFor(revision: 'legacy', mode?: SchemaMode): LegacySchemas;
export function schemasFor(revision: 'steps', mode?: SchemaMode): StepsSchemas;
export function schemasFor(revision: Revision, mode?: SchemaMode): LegacySchemas | StepsSchemas;
export function schemasFor(revision: Revision, mode: SchemaMode = 'lenient'): LegacySchemas | StepsSchemas {
  // Looked up on every parse: no key string to build.
  const byMode = cache[revision];
  let set = byMode[mode];
  if (!set) {
    set = revision === 'legacy' ? buildLegacy(mode) : buildSteps(mode);
    byMode[mode] = set;
  }
  return set;
}
