/**
 * The options every upstream provider takes (key, model, headers, timeouts, retries, media URIs, name, env),
 * as one zod shape each provider's option schema spreads, and the one parse that turns a bad value into an
 * error naming the provider and the option.
 */
import { z } from 'zod';

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
