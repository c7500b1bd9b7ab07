/** Tools (reference §3.5, steps additions §4.4) and `tool_choice` (§3.2). */
import { z } from 'zod';
import { byRevision, jsonObject, openEnum, type SchemaContext } from './context.ts';
import { openUnion } from './open-union.ts';

const TOOL_CHOICE_MODES = ['auto', 'any', 'none', 'validated'] as const;

export function allowedToolsSchema(ctx: SchemaContext) {
  return z.looseObject({
    mode: openEnum(ctx, TOOL_CHOICE_MODES).optional(),
    tools: z.array(z.string()).optional(),
  });
}

/** `"auto"` or `{allowed_tools: {mode?, tools?}}`. */
export function toolChoiceSchema(ctx: SchemaContext) {
  return z.union([
    openEnum(ctx, TOOL_CHOICE_MODES),
    z.looseObject({ allowed_tools: allowedToolsSchema(ctx) }),
  ]);
}

export function toolVariants(ctx: SchemaContext) {
  const strings = z.array(z.string()).optional();
  const custom = z.unknown().optional();
  return {
    function: z.looseObject({
      type: z.literal('function'),
      name: z.string().optional(),
      description: z.string().optional(),
      parameters: jsonObject().optional(),
    }),
    code_execution: z.looseObject({ type: z.literal('code_execution') }),
    tool_search: z.looseObject({
      type: z.literal('tool_search'),
      execution: openEnum(ctx, ['server', 'client']).optional(),
      name: z.string().optional(),
      description: z.string().optional(),
      parameters: jsonObject().optional(),
    }),
    url_context: z.looseObject({ type: z.literal('url_context') }),
    computer_use: z.looseObject({
      type: z.literal('computer_use'),
      environment: openEnum(ctx, byRevision(ctx, ['browser'], ['browser', 'mobile', 'desktop'])).optional(),
      // Tolerance: camelCase in the legacy docs/SDK 1.x, snake_case in SDK 3.x; either is accepted.
      excludedPredefinedFunctions: strings,
      excluded_predefined_functions: strings,
      disabled_safety_policies: z
        .array(
          openEnum(ctx, [
            'financial_transactions',
            'sensitive_data_modification',
            'communication_tool',
            'account_creation',
            'data_modification',
            'user_consent_management',
            'legal_terms_and_agreements',
          ]),
        )
        .optional(),
      enable_prompt_injection_detection: z.boolean().optional(),
    }),
    mcp_server: z.looseObject({
      type: z.literal('mcp_server'),
      name: z.string().optional(),
      url: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      allowed_tools: z.array(allowedToolsSchema(ctx)).optional(),
    }),
    google_search: z.looseObject({
      type: z.literal('google_search'),
      search_types: z
        .array(openEnum(ctx, ['web_search', 'image_search', 'enterprise_web_search']))
        .optional(),
    }),
    file_search: z.looseObject({
      type: z.literal('file_search'),
      file_search_store_names: strings,
      top_k: z.int().optional(),
      metadata_filter: z.string().optional(),
    }),
    google_maps: z.looseObject({
      type: z.literal('google_maps'),
      enable_widget: z.boolean().optional(),
      latitude: z.number().optional(),
      longitude: z.number().optional(),
    }),
    retrieval: z.looseObject({
      type: z.literal('retrieval'),
      retrieval_types: z
        .array(
          openEnum(
            ctx,
            byRevision(
              ctx,
              ['vertex_ai_search'],
              ['vertex_ai_search', 'rag_store', 'exa_ai_search', 'parallel_ai_search'],
            ),
          ),
        )
        .optional(),
      vertex_ai_search_config: z
        .looseObject({ engine: z.string().optional(), datastores: strings })
        .optional(),
      rag_store_config: z
        .looseObject({
          rag_resources: z
            .array(z.looseObject({ rag_corpus: z.string().optional(), rag_file_ids: strings }))
            .optional(),
          rag_retrieval_config: z
            .looseObject({
              top_k: z.int().optional(),
              filter: z.unknown().optional(),
              hybrid_search: z.looseObject({ alpha: z.number().optional() }).optional(),
              ranking: z.unknown().optional(),
            })
            .optional(),
        })
        .optional(),
      exa_ai_search_config: z.looseObject({ api_key: z.string(), custom_config: custom }).optional(),
      parallel_ai_search_config: z
        .looseObject({ api_key: z.string().optional(), custom_config: custom })
        .optional(),
    }),
  };
}

export const toolSchema = (ctx: SchemaContext) => openUnion(toolVariants(ctx), { mode: ctx.mode });
