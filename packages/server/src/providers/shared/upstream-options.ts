/**
 * The options every upstream provider takes (key, model, headers, timeouts, retries, media URIs, name, env),
 * as one interface and one zod shape each provider's option schema spreads; the one parse that turns a bad
 * value into an error naming the provider and the option; and the provider's name and key they resolve to.
 */
import { z } from 'zod';
import type { RetryOptions } from './retry-policy.ts';

/**
 * The options every upstream provider takes, as {@link UPSTREAM_OPTION_FIELDS} checks them; each provider's
 * options extend these (and restate a field where its default or example is its own).
 */
export interface UpstreamOptions {
  /** The API key. Default: read from the environment variable `apiKeyEnv`. */
  apiKey?: string;
  /** Where the key is read from; unset means no credentials are sent. */
  apiKeyEnv?: string;
  /** Send every request to this upstream model. Default: the requested model id passes through. */
  model?: string;
  /** Extra headers on every upstream request. */
  headers?: Record<string, string>;
  /** Time to connect. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Longest wait for the upstream's response headers (a model loading counts). Default 120 000 ms. */
  headersTimeoutMs?: number;
  /** Longest silence while streaming before the upstream counts as stalled. Default 60 000 ms. */
  stallMs?: number;
  retry?: RetryOptions;
  /** Pass public http(s) media URIs through for the upstream to fetch. Default false: the server inlines them. */
  passPublicUris?: boolean;
  /** Private/loopback hosts the server may fetch media URIs from (`--allow-host`). */
  allowHosts?: string[];
  /** The provider's name in errors and logs. Default: its kind (`openai`, `gemini`, `anthropic`). */
  name?: string;
  /** The environment the key is read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

const positive = z.number().int().positive();

/** Fields shared by the `openai`, `gemini` and `anthropic` option schemas (`baseUrl` is each provider's own). */
export const UPSTREAM_OPTION_FIELDS = {
  apiKey: z.string().min(1).optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  model: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  connectTimeoutMs: positive.optional(),
  headersTimeoutMs: positive.optional(),
  stallMs: positive.optional(),
  retry: z
    .object({
      maxAttempts: positive.optional(),
      baseDelayMs: z.number().int().nonnegative().optional(),
      maxDelayMs: z.number().int().nonnegative().optional(),
      maxRetryAfterMs: z.number().int().nonnegative().optional(),
    })
    .strict()
    .optional(),
  passPublicUris: z.boolean().optional(),
  allowHosts: z.array(z.string()).optional(),
  name: z.string().min(1).optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
};

/**
 * The provider's name (`name`, else its kind) and its API key (`apiKey`, else the environment variable
 * `apiKeyEnv`, else `defaultKeyEnv`; `undefined` when none is set).
 */
export function upstreamIdentity(
  options: UpstreamOptions,
  kind: string,
  defaultKeyEnv: string,
): { name: string; apiKey: string | undefined } {
  const env = options.env ?? process.env;
  return { name: options.name ?? kind, apiKey: options.apiKey ?? env[options.apiKeyEnv ?? defaultKeyEnv] };
}

/** A positive integer option (token counts). */
export const positiveInt = positive;

/**
 * Checks configured options against `schema`; throws a TypeError naming the provider and the bad option.
 *
 * @example
 * parseUpstreamOptions('gemini', schema, { stallMs: -1 }); // TypeError: gemini provider: option 'stallMs': …
 */
export function parseUpstreamOptions<T>(
  provider: string,
  schema: z.ZodType,
  input: Record<string, unknown>,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.join('.') || '(options)';
    throw new TypeError(`${provider} provider: option '${at}': ${issue.message}`);
  }
  return parsed.data as T;
}
