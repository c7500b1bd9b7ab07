/**
 * Request configuration objects: generation_config (§3.2, §4.1), agent_config (§3.3, §4.1), the
 * steps-era response_format entries, environment and safety settings (§4.1).
 */
import { z } from 'zod';
import {
  byRevision,
  caseInsensitiveEnum,
  isPlainObject,
  jsonObject,
  openEnum,
  type SchemaContext,
} from './context.ts';
import { dispatch, openUnion } from './open-union.ts';
import { toolChoiceSchema } from './tool.ts';

const ASPECT_RATIOS = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
  '1:8',
  '8:1',
  '1:4',
  '4:1',
];
/** Tolerance: the seed writes "1k/2k/4k", the reference "1K/2K/4K"; compared case-insensitively. */
const IMAGE_SIZES = ['1K', '2K', '4K', '512'];
const THINKING_SUMMARIES = ['auto', 'none'] as const;

export function speechConfigSchema() {
  const speech = z.looseObject({
    voice: z.string().optional(),
    language: z.string().optional(),
    speaker: z.string().optional(),
  });
  const speakers = z.looseObject({ speakers: z.array(speech).optional() });
  const speechList = z.array(speech);
  // Tolerance: one object (REF-APR, seeds), a list (SDK, multi-speaker seed) or `{speakers}` (steps).
  return dispatch<z.output<typeof speech> | z.output<typeof speech>[] | z.output<typeof speakers>>((v) => {
    if (Array.isArray(v)) return { schema: speechList };
    if (isPlainObject(v)) return { schema: 'speakers' in v ? speakers : speech };
    return { issue: { code: 'custom', params: { kind: 'expected', expected: 'an object or an array' } } };
  });
}

export function generationConfigSchema(ctx: SchemaContext) {
  const transcriptionMode = z.union([
    openEnum(ctx, ['verbatim', 'smart']),
    openUnion(
      {
        verbatim: z.looseObject({
          type: z.literal('verbatim'),
          diarization_mode: z.unknown().optional(),
          timestamp_granularities: z.unknown().optional(),
        }),
        smart: z.looseObject({ type: z.literal('smart'), source_text: z.unknown().optional() }),
      },
      { mode: ctx.mode },
    ),
  ]);
  return z.looseObject({
    temperature: z.number().optional(),
    top_p: z.number().optional(),
    seed: z.int().optional(),
    stop_sequences: z.array(z.string()).optional(),
    max_output_tokens: z.int().optional(),
    thinking_level: openEnum(ctx, ['minimal', 'low', 'medium', 'high']).optional(),
    thinking_summaries: openEnum(ctx, THINKING_SUMMARIES).optional(),
    speech_config: speechConfigSchema().optional(),
    // Deprecated in the steps revision (use response_format {type:"image"}), still accepted.
    image_config: z
      .looseObject({
        aspect_ratio: openEnum(ctx, ASPECT_RATIOS).optional(),
        image_size: caseInsensitiveEnum(ctx, IMAGE_SIZES).optional(),
      })
      .optional(),
    tool_choice: toolChoiceSchema(ctx).optional(),
    transcription_config: z
      .looseObject({
        language_codes: z.array(z.string()).optional(),
        custom_vocabulary: z.unknown().optional(),
        mode: transcriptionMode.optional(),
      })
      .optional(),
    video_config: z
      .looseObject({
        task: openEnum(ctx, [
          'text_to_video',
          'image_to_video',
          'reference_to_video',
          'edit',
          'extend',
          'upscale',
        ]).optional(),
      })
      .optional(),
  });
}

export function agentConfigSchema(ctx: SchemaContext) {
  const legacy = {
    dynamic: z.looseObject({ type: z.literal('dynamic') }),
    'deep-research': z.looseObject({
      type: z.literal('deep-research'),
      thinking_summaries: openEnum(ctx, THINKING_SUMMARIES).optional(),
      visualization: openEnum(ctx, ['auto', 'off']).optional(),
      collaborative_planning: z.boolean().optional(),
      enable_bigquery_tool: z.boolean().optional(),
    }),
  };
  const steps = {
    ...legacy,
    antigravity: z.looseObject({
      type: z.literal('antigravity'),
      model: z.string().optional(),
      max_total_tokens: z.string().optional(),
    }),
    'code-mender': z.looseObject({
      type: z.literal('code-mender'),
      model: z.string().optional(),
      session_id: z.string().optional(),
      session_config: z.looseObject({ max_rounds: z.int().optional() }).optional(),
      find_request: z
        .looseObject({
          description: z.string().optional(),
          finding_id: z.string().optional(),
          mode: openEnum(ctx, ['scan', 'verify']).optional(),
          source_files: z
            .array(z.looseObject({ path: z.string().optional(), content: z.string().optional() }))
            .optional(),
        })
        .optional(),
      fix_request: z.looseObject({}).optional(),
    }),
  };
  // Legacy knows only dynamic and deep-research; typed as the superset (one wire type).
  return openUnion(byRevision(ctx, legacy as typeof steps, steps), { mode: ctx.mode });
}

export function serviceTierSchema(ctx: SchemaContext) {
  return openEnum(
    ctx,
    byRevision(
      ctx,
      ['flex', 'standard', 'priority'] as const,
      ['flex', 'standard', 'priority', 'deferred'] as const,
    ),
  );
}

export function webhookConfigSchema() {
  return z.looseObject({ uris: z.array(z.string()).optional(), user_metadata: jsonObject().optional() });
}

const DELIVERY = ['inline', 'uri'] as const;

/** Steps-era polymorphic `response_format` entries, keyed by `type`. */
export function responseFormatEntryVariants(ctx: SchemaContext) {
  const delivery = openEnum(ctx, DELIVERY).optional();
  return {
    text: z.looseObject({
      type: z.literal('text'),
      mime_type: openEnum(ctx, ['application/json', 'text/plain']).optional(),
      schema: jsonObject().optional(),
    }),
    image: z.looseObject({
      type: z.literal('image'),
      mime_type: openEnum(ctx, ['image/jpeg']).optional(),
      aspect_ratio: openEnum(ctx, ASPECT_RATIOS).optional(),
      image_size: caseInsensitiveEnum(ctx, IMAGE_SIZES).optional(),
      delivery,
    }),
    audio: z.looseObject({
      type: z.literal('audio'),
      mime_type: openEnum(ctx, [
        'audio/mp3',
        'audio/ogg_opus',
        'audio/l16',
        'audio/wav',
        'audio/alaw',
        'audio/mulaw',
      ]).optional(),
      sample_rate: z.int().optional(),
      bit_rate: z.int().optional(),
      delivery,
    }),
    video: z.looseObject({
      type: z.literal('video'),
      aspect_ratio: openEnum(ctx, ['16:9', '9:16']).optional(),
      duration: z.unknown().optional(),
      resolution: openEnum(ctx, ['360p', '720p', '1080p', '4k']).optional(),
      gcs_uri: z.string().optional(),
      delivery,
    }),
  };
}

/**
 * Steps `response_format`: one entry, a list of entries, or (as in legacy) a raw JSON Schema object.
 * An object whose `type` is not an entry type (e.g. `"object"`) is a raw JSON Schema.
 */
export function stepsResponseFormatSchema(ctx: SchemaContext) {
  const variants = responseFormatEntryVariants(ctx);
  const entry = openUnion(variants, { mode: ctx.mode });
  type Entry = z.output<typeof entry>;
  const entries = z.array(entry);
  const rawSchema = jsonObject();
  return dispatch<Entry | Entry[] | Record<string, unknown>>((v) => {
    if (Array.isArray(v)) return { schema: entries };
    if (!isPlainObject(v)) {
      return { issue: { code: 'custom', params: { kind: 'expected', expected: 'an object or an array' } } };
    }
    const isEntry = typeof v.type === 'string' && Object.hasOwn(variants, v.type);
    return { schema: isEntry ? entry : rawSchema };
  });
}

/** `"remote"`, an environment id, or a `{type:"remote", …}` config (managed agents). */
export function environmentSchema(ctx: SchemaContext) {
  const credentialValue = z.union([
    z.string(),
    z.looseObject({ value: z.string().optional(), credential: z.unknown().optional() }),
  ]);
  const remote = z.looseObject({
    type: z.literal('remote'),
    sources: z
      .array(
        z.looseObject({
          type: openEnum(ctx, ['gcs', 'inline', 'repository', 'skill_registry']).optional(),
          source: z.string().optional(),
          target: z.string().optional(),
          content: z.string().optional(),
          encoding: z.string().optional(),
        }),
      )
      .optional(),
    network: z
      .union([
        openEnum(ctx, ['disabled']),
        z.looseObject({
          allowlist: z.union([
            openEnum(ctx, ['disabled']),
            z.array(
              z.looseObject({
                domain: z.string(),
                transform: z.unknown().optional(),
                credential: z.unknown().optional(),
              }),
            ),
          ]),
        }),
      ])
      .optional(),
    env: z.record(z.string(), credentialValue).optional(),
    environment_id: z.string().optional(),
  });
  return z.union([z.string(), openUnion({ remote }, { mode: ctx.mode })]);
}

const HARM_CATEGORIES = [
  'hate_speech',
  'dangerous_content',
  'harassment',
  'sexually_explicit',
  'civic_integrity',
  'image_hate',
  'image_dangerous_content',
  'image_harassment',
  'image_sexually_explicit',
  'jailbreak',
] as const;

export function safetySettingSchema(ctx: SchemaContext) {
  return z.looseObject({
    type: openEnum(ctx, HARM_CATEGORIES),
    threshold: openEnum(ctx, [
      'block_low_and_above',
      'block_medium_and_above',
      'block_only_high',
      'block_none',
      'off',
    ]),
    method: openEnum(ctx, ['severity', 'probability']).optional(),
  });
}
