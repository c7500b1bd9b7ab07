/**
 * Streaming events and deltas of both revisions (reference §2.4, §3.9–3.10, §4.5–4.6).
 * Delta and content.start unions are always open, so a newer server never breaks a client; the event
 * union follows the mode (strict rejects unknown event types, e.g. to check a server's own output).
 */
import { z } from 'zod';
import type { Annotation } from '../wire/common.ts';
import type { Content } from '../wire/content.ts';
import type { LegacyDelta, StepDelta } from '../wire/events.ts';
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import type { Step } from '../wire/step.ts';
import { eventErrorBodySchema, statusSchema, usageSchema } from './common.ts';
import type { MediaVariants, ToolContentVariants } from './content.ts';
import type { SchemaContext } from './context.ts';
import { openUnion } from './open-union.ts';
import type { StepVariants } from './step.ts';

const index = z.int();
const eventId = z.string().optional();
const signature = z.string().optional();

/** One event's schema: its `event_type`, the resume cursor `event_id`, then its own fields. */
const eventVariant = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.looseObject({ event_type: z.literal(type), event_id: eventId, ...shape });

/** The thought deltas both revisions share: a part of its summary (text or image), its signature. */
function thoughtDeltaVariants(media: MediaVariants) {
  return {
    thought_summary: z.looseObject({
      type: z.literal('thought_summary'),
      content: openUnion({ text: media.text, image: media.image }, { mode: 'lenient' }).optional(),
    }),
    thought_signature: z.looseObject({ type: z.literal('thought_signature'), signature }),
  };
}

/** Every content variant with all fields optional but `type` (a `content.start` may carry only the type). */
export function partialContentSchema(
  variants: Record<string, z.ZodObject>,
): z.ZodType<Partial<Content> & { type: string }> {
  const partial = Object.fromEntries(
    Object.entries(variants).map(([type, v]) => [type, v.partial().required({ type: true })]),
  );
  return openUnion(partial, { mode: 'lenient' }) as z.ZodType<Partial<Content> & { type: string }>;
}

export function legacyDeltaSchema(
  media: MediaVariants,
  tools: ToolContentVariants,
  annotation: z.ZodType<Annotation>,
) {
  const { thought: _thought, ...toolBlocks } = tools;
  return openUnion(
    {
      ...media,
      ...thoughtDeltaVariants(media),
      text_annotation: z.looseObject({
        type: z.literal('text_annotation'),
        annotations: z.array(annotation).optional(),
      }),
      // Tool deltas carry the complete block, as content.
      ...toolBlocks,
    },
    { mode: 'lenient' },
  );
}

/** A tool step's delta: the step's fields minus `id`/`call_id` (known from step.start), all optional. */
function deltaOf<K extends string>(
  step: z.ZodObject,
  _type: K,
): z.ZodType<{ type: K; [extra: string]: unknown }> {
  const ids = Object.fromEntries(['id', 'call_id'].filter((k) => k in step.shape).map((k) => [k, true]));
  return step
    .omit(ids as never)
    .partial()
    .required({ type: true } as never) as unknown as z.ZodType<{
    type: K;
    [extra: string]: unknown;
  }>;
}

export function stepDeltaSchema(
  media: MediaVariants,
  tools: ToolContentVariants,
  steps: StepVariants,
  annotation: z.ZodType<Annotation>,
) {
  const mediaUnion = openUnion(media, { mode: 'lenient' });
  return openUnion(
    {
      text: z.looseObject({ type: z.literal('text'), text: z.string() }),
      image: media.image,
      audio: media.audio,
      document: media.document,
      video: media.video,
      ...thoughtDeltaVariants(media),
      text_annotation_delta: z.looseObject({
        type: z.literal('text_annotation_delta'),
        annotations: z.array(annotation).optional(),
      }),
      // A fragment of a function call's JSON arguments; the client concatenates them.
      arguments_delta: z.looseObject({
        type: z.literal('arguments_delta'),
        arguments: z.string().optional(),
      }),
      function_result: z.looseObject({
        type: z.literal('function_result'),
        result: z.unknown(),
        name: z.string().optional(),
        is_error: z.boolean().optional(),
      }),
      code_execution_call: deltaOf(tools.code_execution_call, 'code_execution_call'),
      code_execution_result: z.looseObject({
        type: z.literal('code_execution_result'),
        result: z.union([z.string(), z.array(mediaUnion)]).optional(),
        is_error: z.boolean().optional(),
        signature,
      }),
      url_context_call: deltaOf(tools.url_context_call, 'url_context_call'),
      url_context_result: deltaOf(tools.url_context_result, 'url_context_result'),
      google_search_call: deltaOf(tools.google_search_call, 'google_search_call'),
      google_search_result: deltaOf(tools.google_search_result, 'google_search_result'),
      mcp_server_tool_call: deltaOf(tools.mcp_server_tool_call, 'mcp_server_tool_call'),
      mcp_server_tool_result: deltaOf(tools.mcp_server_tool_result, 'mcp_server_tool_result'),
      file_search_call: deltaOf(tools.file_search_call, 'file_search_call'),
      file_search_result: deltaOf(tools.file_search_result, 'file_search_result'),
      google_maps_call: deltaOf(tools.google_maps_call, 'google_maps_call'),
      google_maps_result: deltaOf(tools.google_maps_result, 'google_maps_result'),
      retrieval_call: deltaOf(steps.retrieval_call, 'retrieval_call'),
      retrieval_result: deltaOf(steps.retrieval_result, 'retrieval_result'),
      processing_call: deltaOf(steps.processing_call, 'processing_call'),
      processing_result: deltaOf(steps.processing_result, 'processing_result'),
    },
    { mode: 'lenient' },
  );
}

/** Start/complete events carry a partial interaction (the terminal one has no outputs/steps). */
interface LegacyEventDeps {
  interaction: z.ZodType<Partial<LegacyInteraction> & { id: string }>;
  partialContent: z.ZodType<Partial<Content> & { type: string }>;
  delta: z.ZodType<LegacyDelta>;
}

export function legacyEventSchema(ctx: SchemaContext, deps: LegacyEventDeps) {
  const error = eventErrorBodySchema().optional();
  const { interaction } = deps;
  const status = statusSchema(ctx);
  return openUnion(
    {
      'interaction.start': eventVariant('interaction.start', { interaction }),
      'interaction.status_update': eventVariant('interaction.status_update', {
        interaction_id: z.string(),
        status,
      }),
      'content.start': eventVariant('content.start', { index, content: deps.partialContent }),
      'content.delta': eventVariant('content.delta', { index, delta: deps.delta }),
      'content.stop': eventVariant('content.stop', { index }),
      'interaction.complete': eventVariant('interaction.complete', { interaction }),
      error: eventVariant('error', { error }),
    },
    { mode: ctx.mode, key: 'event_type' },
  );
}

interface StepsEventDeps {
  interaction: z.ZodType<Partial<StepsInteraction> & { id: string }>;
  step: z.ZodType<Step>;
  delta: z.ZodType<StepDelta>;
}

export function stepsEventSchema(ctx: SchemaContext, deps: StepsEventDeps) {
  const usage = usageSchema(ctx).optional();
  const { interaction } = deps;
  return openUnion(
    {
      'interaction.created': eventVariant('interaction.created', { interaction }),
      'interaction.status_update': eventVariant('interaction.status_update', {
        interaction_id: z.string(),
        status: statusSchema(ctx),
        usage,
      }),
      'step.start': eventVariant('step.start', { index, step: deps.step }),
      'step.delta': eventVariant('step.delta', {
        index,
        delta: deps.delta,
        metadata: z.looseObject({ total_usage: usage }).optional(),
      }),
      // MIG's example also shows `"status":"done"`; extra fields pass through.
      'step.stop': eventVariant('step.stop', { index, usage, step_usage: usage }),
      'interaction.completed': eventVariant('interaction.completed', { interaction }),
      error: eventVariant('error', { error: eventErrorBodySchema().optional() }),
    },
    { mode: ctx.mode, key: 'event_type' },
  );
}
