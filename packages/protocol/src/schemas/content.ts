/**
 * Content blocks (reference §3.7, steps additions §4.3): the 5 media variants shared by both revisions,
 * and the thought/tool-call/tool-result variants that are legacy content and steps-era steps.
 */
import { z } from 'zod';
import type { Annotation } from '../wire/common.ts';
import type { Content } from '../wire/content.ts';
import { byRevision, type IssueParams, jsonObject, openEnum, type SchemaContext } from './context.ts';
import { openUnion } from './open-union.ts';

const signature = z.string().optional();

/** text, image, audio, document, video. */
export function mediaVariants(ctx: SchemaContext, annotation: z.ZodType<Annotation>) {
  // MIME types are plain strings: the lists differ per revision and name some only loosely ("Office types").
  const media = { data: z.string().optional(), uri: z.string().optional(), mime_type: z.string().optional() };
  return {
    text: z.looseObject({
      type: z.literal('text'),
      text: z.string(),
      annotations: z.array(annotation).optional(),
    }),
    image: z.looseObject({
      type: z.literal('image'),
      ...media,
      resolution: openEnum(ctx, ['low', 'medium', 'high', 'ultra_high']).optional(),
    }),
    audio: z.looseObject({
      type: z.literal('audio'),
      ...media,
      rate: z.int().optional(),
      sample_rate: z.int().optional(),
      channels: z.int().optional(),
    }),
    document: z.looseObject({ type: z.literal('document'), ...media }),
    video: z.looseObject({
      type: z.literal('video'),
      ...media,
      resolution: z.string().optional(),
      name: z.string().optional(),
      processing: z
        .union([
          openEnum(ctx, ['static', 'agentic']),
          z.looseObject({
            type: openEnum(ctx, ['static']),
            start_offset: z.unknown().optional(),
            end_offset: z.unknown().optional(),
            fps: z.number().optional(),
          }),
        ])
        .optional(),
    }),
  };
}
export type MediaVariants = ReturnType<typeof mediaVariants>;

/**
 * URL-context status. Tolerance: the schema says `success|error|paywall|unsafe`, doc examples show
 * `URL_RETRIEVAL_STATUS_SUCCESS` and `SUCCESS`; all spellings of the same value are accepted.
 */
function urlStatus(ctx: SchemaContext): z.ZodType<string> {
  if (ctx.mode === 'lenient') return z.string();
  const values = ['success', 'error', 'paywall', 'unsafe', 'unspecified'];
  return z.string().refine((v) => values.includes(v.toLowerCase().replace(/^url_retrieval_status_/, '')), {
    params: { kind: 'enum', values } satisfies IssueParams,
  });
}

/** thought and the tool call/result blocks: legacy content and steps-era steps alike. */
export function toolContentVariants(ctx: SchemaContext, media: MediaVariants) {
  const mediaUnion = openUnion(media, { mode: ctx.mode });
  const summaryItem = openUnion({ text: media.text, image: media.image }, { mode: ctx.mode });
  const queries = z.looseObject({ queries: z.array(z.string()).optional() });
  const call = { id: z.string(), signature };
  const result = { call_id: z.string(), signature };
  const isError = z.boolean().optional();
  const searchItem = z.looseObject({
    search_suggestions: z.string().optional(),
    url: z.string().optional(),
    title: z.string().optional(),
    rendered_content: z.string().optional(),
  });
  const place = z.looseObject({
    place_id: z.string().optional(),
    name: z.string().optional(),
    url: z.string().optional(),
    review_snippets: z
      .array(
        z.looseObject({
          title: z.string().optional(),
          url: z.string().optional(),
          review_id: z.string().optional(),
        }),
      )
      .optional(),
  });
  return {
    thought: z.looseObject({
      type: z.literal('thought'),
      signature,
      // Tolerance: previews render `summary` as a bare string instead of a list of text/image items.
      summary: z.union([z.array(summaryItem), z.string()]).optional(),
    }),
    function_call: z.looseObject({
      type: z.literal('function_call'),
      ...call,
      name: z.string(),
      arguments: jsonObject(),
    }),
    function_result: z.looseObject({
      type: z.literal('function_result'),
      ...result,
      // A string, text/image items, or any JSON value (SDK); required but otherwise unchecked.
      result: z.unknown(),
      name: z.string().optional(),
      is_error: isError,
    }),
    code_execution_call: z.looseObject({
      type: z.literal('code_execution_call'),
      ...call,
      arguments: z.looseObject({
        language: openEnum(ctx, byRevision(ctx, ['python'], ['python', 'bash'])).optional(),
        code: z.string().optional(),
      }),
    }),
    code_execution_result: z.looseObject({
      type: z.literal('code_execution_result'),
      ...result,
      result: z.union([z.string(), z.array(mediaUnion)]),
      is_error: isError,
    }),
    url_context_call: z.looseObject({
      type: z.literal('url_context_call'),
      ...call,
      arguments: z.looseObject({ urls: z.array(z.string()).optional() }),
    }),
    url_context_result: z.looseObject({
      type: z.literal('url_context_result'),
      ...result,
      result: z.array(z.looseObject({ url: z.string().optional(), status: urlStatus(ctx).optional() })),
      is_error: isError,
    }),
    google_search_call: z.looseObject({
      type: z.literal('google_search_call'),
      ...call,
      arguments: queries,
      search_type: openEnum(ctx, ['web_search', 'image_search', 'enterprise_web_search']).optional(),
    }),
    google_search_result: z.looseObject({
      type: z.literal('google_search_result'),
      ...result,
      // Tolerance: an array per the reference; one doc example shows a single object.
      result: z.union([z.array(searchItem), searchItem]),
      is_error: isError,
    }),
    mcp_server_tool_call: z.looseObject({
      type: z.literal('mcp_server_tool_call'),
      ...call,
      name: z.string(),
      server_name: z.string(),
      arguments: jsonObject(),
    }),
    mcp_server_tool_result: z.looseObject({
      type: z.literal('mcp_server_tool_result'),
      ...result,
      result: z.unknown(),
      name: z.string().optional(),
      server_name: z.string().optional(),
      is_error: isError,
    }),
    file_search_call: z.looseObject({ type: z.literal('file_search_call'), ...call }),
    file_search_result: z.looseObject({
      type: z.literal('file_search_result'),
      ...result,
      // REF-APR `{custom_metadata}`, JS152 `unknown[]`, JS133 `{file_search_store, text, title}[]`.
      result: z.unknown().optional(),
    }),
    google_maps_call: z.looseObject({
      type: z.literal('google_maps_call'),
      ...call,
      arguments: queries.optional(),
    }),
    google_maps_result: z.looseObject({
      type: z.literal('google_maps_result'),
      ...result,
      result: z
        .array(
          z.looseObject({ places: z.array(place).optional(), widget_context_token: z.string().optional() }),
        )
        .optional(),
    }),
  };
}
export type ToolContentVariants = ReturnType<typeof toolContentVariants>;

/** Legacy multi-turn entry `{role, content}` (reference §3.6). */
export function turnSchema(ctx: SchemaContext, content: z.ZodType<Content>) {
  return z.looseObject({
    role: openEnum(ctx, ['user', 'model']).optional(),
    content: z.union([z.string(), z.array(content)]).optional(),
  });
}
