/**
 * The `openai` provider's options, as code passes them or as they come from configuration (CLI flags, the
 * routing file), checked with zod so a bad value is an error naming the option.
 */
import { z } from 'zod';
import type { RetryOptions } from '../shared/retry-policy.ts';
import { parseUpstreamOptions, UPSTREAM_OPTION_FIELDS } from '../shared/upstream-options.ts';

export interface OpenAIProviderOptions {
  /** The upstream's base URL, up to and including `/v1`, e.g. `http://127.0.0.1:11434/v1` (Ollama). */
  baseUrl: string;
  /** The API key. Default: read from the environment variable `apiKeyEnv`. */
  apiKey?: string;
  /** Where the key is read from. Default `OPENAI_API_KEY`; unset means no `Authorization` header (local servers). */
  apiKeyEnv?: string;
  /** Send every request to this upstream model. Default: the requested model id passes through. */
  model?: string;
  /** Extra headers on every upstream request (e.g. `HTTP-Referer` for OpenRouter). */
  headers?: Record<string, string>;
  /** Time to connect. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Longest wait for the upstream's response headers (a model loading counts). Default 120 000 ms. */
  headersTimeoutMs?: number;
  /** Longest silence while streaming before the upstream counts as stalled. Default 60 000 ms. */
  stallMs?: number;
  retry?: RetryOptions;
  /**
   * Media types the upstream takes besides text. Default `['image']`. `audio` is sent as `input_audio` (wav,
   * mp3), `document` as a `file` part (PDF), `video` as a `video_url` part (vLLM, Ollama with Qwen-VL).
   */
  input?: ('image' | 'audio' | 'document' | 'video')[];
  /** Pass public http(s) image/video URIs through for the upstream to fetch. Default false: the server inlines them. */
  passPublicUris?: boolean;
  /** Private/loopback hosts the server may fetch media URIs from (`--allow-host`). */
  allowHosts?: string[];
  /** Send `generation_config.thinking_level` as `reasoning_effort`. Default true. */
  reasoningEffort?: boolean;
  /** The field the output-token limit goes in. Default `max_tokens` (`max_completion_tokens` for OpenAI's o-series). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** The provider's name in errors and logs. Default `openai`. */
  name?: string;
  /** The environment the key is read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

const schema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    input: z.array(z.enum(['image', 'audio', 'document', 'video'])).optional(),
    reasoningEffort: z.boolean().optional(),
    maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    ...UPSTREAM_OPTION_FIELDS,
  })
  .strict();

/** Checks configured options; throws a TypeError naming the bad option. */
export function parseOpenAIOptions(input: Record<string, unknown>): OpenAIProviderOptions {
  return parseUpstreamOptions<OpenAIProviderOptions>('openai', schema, input);
}
