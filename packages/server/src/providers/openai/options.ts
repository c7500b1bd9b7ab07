/**
 * The `openai` provider's options, as code passes them or as they come from configuration (CLI flags, the
 * routing file), checked with zod so a bad value is an error naming the option.
 */
import { z } from 'zod';
import {
  parseUpstreamOptions,
  UPSTREAM_OPTION_FIELDS,
  type UpstreamOptions,
} from '../shared/upstream-options.ts';

export interface OpenAIProviderOptions extends UpstreamOptions {
  /** The upstream's base URL, up to and including `/v1`, e.g. `http://127.0.0.1:11434/v1` (Ollama). */
  baseUrl: string;
  /** Where the key is read from. Default `OPENAI_API_KEY`; unset means no `Authorization` header (local servers). */
  apiKeyEnv?: string;
  /** Extra headers on every upstream request (e.g. `HTTP-Referer` for OpenRouter). */
  headers?: Record<string, string>;
  /**
   * Media types the upstream takes besides text. Default `['image']`. `audio` is sent as `input_audio` (wav,
   * mp3), `document` as a `file` part (PDF), `video` as a `video_url` part (vLLM, Ollama with Qwen-VL).
   */
  input?: ('image' | 'audio' | 'document' | 'video')[];
  /** Pass public http(s) image/video URIs through for the upstream to fetch. Default false: the server inlines them. */
  passPublicUris?: boolean;
  /** Send `generation_config.thinking_level` as `reasoning_effort`. Default true. */
  reasoningEffort?: boolean;
  /** The field the output-token limit goes in. Default `max_tokens` (`max_completion_tokens` for OpenAI's o-series). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
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
