/**
 * The `anthropic` provider's options, as code passes them or as they come from configuration (CLI flags, the
 * routing file), checked with zod so a bad value is an error naming the option.
 */
import { z } from 'zod';
import {
  parseUpstreamOptions,
  positiveInt,
  UPSTREAM_OPTION_FIELDS,
  type UpstreamOptions,
} from '../shared/upstream-options.ts';

export interface AnthropicProviderOptions extends UpstreamOptions {
  /** Up to and including `/v1`. Default `https://api.anthropic.com/v1`. */
  baseUrl?: string;
  /** Where the key is read from. Default `ANTHROPIC_API_KEY`; unset means no `x-api-key` header. */
  apiKeyEnv?: string;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  version?: string;
  /** Extra headers on every upstream request (e.g. `anthropic-beta`). */
  headers?: Record<string, string>;
  /** `max_tokens` when the request sets no `max_output_tokens` (the Messages API requires one). Default 8 192. */
  maxTokens?: number;
  /**
   * How `thinking_level` is sent: `budget` (`thinking: {type: "enabled", budget_tokens}`: low 2 048, medium
   * 8 192, high 16 384; minimal: no thinking; the default) or `adaptive` (`thinking: {type: "adaptive"}` with
   * `output_config.effort`, for the models that take it).
   */
  thinking?: 'budget' | 'adaptive';
  /** Pass public http(s) image/PDF URIs through (`source.type: url`). Default false: the server inlines them. */
  passPublicUris?: boolean;
}

const schema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    version: z.string().min(1).optional(),
    maxTokens: positiveInt.optional(),
    thinking: z.enum(['budget', 'adaptive']).optional(),
    ...UPSTREAM_OPTION_FIELDS,
  })
  .strict();

/** Checks configured options; throws a TypeError naming the bad option. */
export function parseAnthropicOptions(input: Record<string, unknown>): AnthropicProviderOptions {
  return parseUpstreamOptions<AnthropicProviderOptions>('anthropic', schema, input);
}
