/**
 * The `gemini` provider's options, as code passes them or as they come from configuration (CLI flags, the
 * routing file), checked with zod so a bad value is an error naming the option.
 */
import { z } from 'zod';
import {
  parseUpstreamOptions,
  UPSTREAM_OPTION_FIELDS,
  type UpstreamOptions,
} from '../shared/upstream-options.ts';

export interface GeminiProviderOptions extends UpstreamOptions {
  /**
   * Up to the `models/` segment. Default `https://generativelanguage.googleapis.com/v1beta` (the Gemini API).
   * Vertex AI: `https://aiplatform.googleapis.com/v1/publishers/google` (express mode, with an API key) or
   * `https://LOCATION-aiplatform.googleapis.com/v1/projects/PROJECT/locations/LOCATION/publishers/google`
   * with `auth: "bearer"` and an access token as the key.
   */
  baseUrl?: string;
  /** The API key (or access token). Default: read from the environment variable `apiKeyEnv`. */
  apiKey?: string;
  /** Where the key is read from. Default `GEMINI_API_KEY`; unset means no credentials (a local upstream). */
  apiKeyEnv?: string;
  /** How the key is sent: `api-key` (`x-goog-api-key`, the default) or `bearer` (`Authorization: Bearer`). */
  auth?: 'api-key' | 'bearer';
  /**
   * Who runs `google_search`, `code_execution` and `url_context`: `gemini` (the model's own tools: grounding
   * with citations, its code sandbox, its URL fetcher; the default) or `server` (this server's tools, offered
   * to the model as functions, as with every other provider).
   */
  builtins?: 'gemini' | 'server';
  /**
   * How `thinking_level` is sent: `level` (`thinkingConfig.thinkingLevel`, Gemini 3; the default) or `budget`
   * (`thinkingConfig.thinkingBudget`, Gemini 2.5: minimal 0, low 1 024, medium 8 192, high 24 576 tokens).
   */
  thinking?: 'level' | 'budget';
  /** Pass public http(s) media URIs through as `fileData` for Gemini to fetch. Default false: the server inlines them. */
  passPublicUris?: boolean;
}

const schema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    auth: z.enum(['api-key', 'bearer']).optional(),
    builtins: z.enum(['gemini', 'server']).optional(),
    thinking: z.enum(['level', 'budget']).optional(),
    ...UPSTREAM_OPTION_FIELDS,
  })
  .strict();

/** Checks configured options; throws a TypeError naming the bad option. */
export function parseGeminiOptions(input: Record<string, unknown>): GeminiProviderOptions {
  return parseUpstreamOptions<GeminiProviderOptions>('gemini', schema, input);
}
