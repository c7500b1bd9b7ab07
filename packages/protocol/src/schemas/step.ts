/** Steps-revision timeline entries (reference §4.3): user/model turns plus the tool blocks as steps. */
import { z } from 'zod';
import type { MediaContent } from '../wire/content.ts';
import type { ToolContentVariants } from './content.ts';
import { openEnum, type SchemaContext } from './context.ts';

export function stepVariants(
  ctx: SchemaContext,
  content: z.ZodType<MediaContent>,
  tools: ToolContentVariants,
) {
  const signature = z.string().optional();
  return {
    user_input: z.looseObject({ type: z.literal('user_input'), content: z.array(content).optional() }),
    model_output: z.looseObject({
      type: z.literal('model_output'),
      content: z.array(content).optional(),
      // google.rpc.Status
      error: z
        .looseObject({
          code: z.int().optional(),
          message: z.string().optional(),
          details: z.array(z.record(z.string(), z.unknown())).optional(),
        })
        .optional(),
    }),
    ...tools,
    retrieval_call: z.looseObject({
      type: z.literal('retrieval_call'),
      id: z.string(),
      arguments: z.looseObject({ queries: z.array(z.string()).optional() }).optional(),
      retrieval_type: openEnum(ctx, [
        'vertex_ai_search',
        'rag_store',
        'exa_ai_search',
        'parallel_ai_search',
      ]).optional(),
      signature,
    }),
    retrieval_result: z.looseObject({
      type: z.literal('retrieval_result'),
      call_id: z.string(),
      is_error: z.boolean().optional(),
      signature,
    }),
    tool_search_call: z.looseObject({
      type: z.literal('tool_search_call'),
      id: z.string(),
      arguments: z.looseObject({
        function_names: z.array(z.string()).optional(),
        query: z.string().optional(),
      }),
      signature,
    }),
    tool_search_result: z.looseObject({
      type: z.literal('tool_search_result'),
      call_id: z.string(),
      result: z
        .array(
          z.looseObject({
            type: z.literal('function'),
            name: z.string().optional(),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
          }),
        )
        .optional(),
      is_error: z.boolean().optional(),
      signature,
    }),
    // Server-initiated media processing (e.g. video).
    processing_call: z.looseObject({ type: z.literal('processing_call'), id: z.string(), signature }),
    processing_result: z.looseObject({
      type: z.literal('processing_result'),
      call_id: z.string(),
      signature,
    }),
  };
}
export type StepVariants = ReturnType<typeof stepVariants>;
