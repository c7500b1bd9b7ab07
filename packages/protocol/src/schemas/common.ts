/** Schemas shared by both revisions: status, usage, annotations, the error envelope (reference §3.7–3.8, §6). */
import { z } from 'zod';
import type { InteractionStatus } from '../wire/common.ts';
import { byRevision, openEnum, type SchemaContext } from './context.ts';
import { openUnion } from './open-union.ts';

const LEGACY_STATUSES: InteractionStatus[] = [
  'in_progress',
  'requires_action',
  'completed',
  'failed',
  'cancelled',
  'incomplete',
];
const STEPS_STATUSES: InteractionStatus[] = [
  ...LEGACY_STATUSES,
  'budget_exceeded',
  'queued',
  'idle',
  'requires_continuation',
];

export const statusSchema = (ctx: SchemaContext): z.ZodType<InteractionStatus> =>
  openEnum(ctx, byRevision(ctx, LEGACY_STATUSES, STEPS_STATUSES));

const MODALITIES = ['text', 'image', 'audio', 'video', 'document'] as const;

export function usageSchema(ctx: SchemaContext) {
  const byModality = z.array(
    z.looseObject({ modality: openEnum(ctx, MODALITIES).optional(), tokens: z.int().optional() }),
  );
  const count = z.int().optional();
  return z.looseObject({
    total_input_tokens: count,
    total_cached_tokens: count,
    total_output_tokens: count,
    total_thought_tokens: count,
    total_tool_use_tokens: count,
    total_tokens: count,
    initial_input_tokens: count,
    input_tokens_by_modality: byModality.optional(),
    cached_tokens_by_modality: byModality.optional(),
    output_tokens_by_modality: byModality.optional(),
    tool_use_tokens_by_modality: byModality.optional(),
    grounding_tool_count: z
      .array(
        z.looseObject({
          type: openEnum(ctx, ['google_search', 'google_maps', 'retrieval']).optional(),
          count,
        }),
      )
      .optional(),
  });
}

/**
 * Annotations are output metadata a client echoes back on replay, so the union is open in both modes.
 * Tolerance: SDK 1.33 annotations had no `type` (`{start_index, end_index, source}`); they are kept.
 */
export function annotationSchema(ctx: SchemaContext) {
  const span = { start_index: z.int().optional(), end_index: z.int().optional() };
  const legacy = {
    url_citation: z.looseObject({
      type: z.literal('url_citation'),
      url: z.string().optional(),
      title: z.string().optional(),
      ...span,
    }),
    file_citation: z.looseObject({
      type: z.literal('file_citation'),
      document_uri: z.string().optional(),
      file_name: z.string().optional(),
      source: z.string().optional(),
      custom_metadata: z.unknown().optional(),
      media_id: z.string().optional(),
      page_number: z.int().optional(),
      ...span,
    }),
    place_citation: z.looseObject({
      type: z.literal('place_citation'),
      place_id: z.string().optional(),
      name: z.string().optional(),
      url: z.string().optional(),
      review_snippets: z.array(reviewSnippetSchema()).optional(),
      ...span,
    }),
  };
  const offset = z.union([z.string(), z.number()]).optional();
  const steps = {
    ...legacy,
    speech_metadata: z.looseObject({
      type: z.literal('speech_metadata'),
      speaker: z.string().optional(),
      style: z.string().optional(),
      ...span,
    }),
    word_info: z.looseObject({
      type: z.literal('word_info'),
      text: z.string().optional(),
      start_offset: offset,
      end_offset: offset,
      speaker: z.string().optional(),
      ...span,
    }),
  };
  // Legacy lacks the two speech annotations; typed as the superset (the wire type is one union).
  const variants = byRevision(ctx, legacy as typeof steps, steps);
  return openUnion(variants, { mode: 'lenient', keepUntagged: true });
}

export const reviewSnippetSchema = () =>
  z.looseObject({
    title: z.string().optional(),
    url: z.string().optional(),
    review_id: z.string().optional(),
  });

/** `{error: {code, message}}` — the body of every HTTP error (reference §6.1). */
export const errorEnvelopeSchema = () =>
  z.looseObject({ error: z.looseObject({ code: z.string(), message: z.string() }) });

/** The stream `error` event's body; observed empty in beta, so both fields are optional. */
export const eventErrorBodySchema = () =>
  z.looseObject({ code: z.string().optional(), message: z.string().optional() });
