/**
 * The `anthropic` provider's options, as code passes them or as they come from configuration (CLI flags, the
 * routing file), checked with zod so a bad value is an error naming the option.
 */
import { z } from 'zod';
import type { RetryOptions } from '../shared/retry-policy.ts';
import { parseUpstreamOptions, positiveInt, UPSTREAM_OPTION_FIELDS } from '../shared/upstream-options.ts';

export interface AnthropicProviderOptions {
  /** Up to and including `/v1`. Default `https://api.anthropic.com/v1`. */
  baseUrl?: string;
  /** The API key. Default: read from the environment variable `apiKeyEnv`. */
  apiKey?: string;
  /** Where the key is read from. Default `ANTHROPIC_API_KEY`; unset means no `x-api-key` header. */
  apiKeyEnv?: string;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  version?: string;
  /** Send every request to this upstream model. Default: the requested model id passes through. */
  model?: string;
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
  /** Time to connect. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Longest wait for the upstream's response headers. Default 120 000 ms. */
  headersTimeoutMs?: number;
  /** Longest silence while streaming before the upstream counts as stalled. Default 60 000 ms. */
  stallMs?: number;
  retry?: RetryOptions;
  /** Pass public http(s) image/PDF URIs through (`source.type: url`). Default false: the server inlines them. */
  passPublicUris?: boolean;
  /** Private/loopback hosts the server may fetch media URIs from (`--allow-host`). */
  allowHosts?: string[];
  /** The provider's name in errors and logs. Default `anthropic`. */
  name?: string;
  /** The environment the key is read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
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
