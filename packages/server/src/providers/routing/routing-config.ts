/**
 * The routing file (`interplay serve --config FILE`): several providers at once, model-id globs routed to them
 * (with the upstream model name), and the model the Deep Research agent uses. Routes are tried in order; a
 * model id no route matches is a 404 `not_found`, so end with `"models": ["*"]` to send the rest somewhere
 * (e.g. to the offline `scripted` provider).
 *
 * ```json
 * {
 *   "providers": {
 *     "ollama": { "type": "openai", "baseUrl": "http://127.0.0.1:11434/v1" },
 *     "openai": { "type": "openai", "baseUrl": "https://api.openai.com/v1", "apiKeyEnv": "OPENAI_API_KEY" },
 *     "offline": { "type": "scripted" }
 *   },
 *   "routes": [
 *     { "models": ["gemini-*-flash*"], "provider": "ollama", "upstreamModel": "qwen3:8b" },
 *     { "models": ["gpt-*"], "provider": "openai" },
 *     { "models": ["*"], "provider": "offline" }
 *   ],
 *   "agents": { "deep-research": { "model": "gemini-3-flash-preview" } }
 * }
 * ```
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DeepResearchOptions } from '../../agents/deep-research/agent.ts';
import type { Provider } from '../provider.ts';
import type { ProviderRegistry } from '../registry.ts';
import { routedProvider } from './route.ts';

const providerEntry = z.looseObject({ type: z.string().min(1) });

const schema = z
  .object({
    providers: z.record(
      z.string().regex(/^[\w.-]+$/, 'provider names are letters, digits, _ . -'),
      providerEntry,
    ),
    routes: z
      .array(
        z
          .object({
            models: z.array(z.string().min(1)).min(1),
            provider: z.string().min(1),
            upstreamModel: z.string().min(1).optional(),
          })
          .strict(),
      )
      .min(1),
    agents: z
      .object({
        'deep-research': z
          .object({ model: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type RoutingConfig = z.infer<typeof schema>;

/** What the server runs from a routing config. */
export interface Routing {
  /** In route order, for the engine. */
  providers: Provider[];
  /** Every provider created (each once, whatever number of routes use it), to close on shutdown. */
  instances: Provider[];
  deepResearch?: DeepResearchOptions;
}

/** Checks a routing config object; throws a TypeError naming the bad field. */
export function parseRoutingConfig(input: unknown, source = 'routing config'): RoutingConfig {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`${source}: '${issue.path.join('.') || '(root)'}': ${issue.message}`);
  }
  const config = parsed.data;
  config.routes.forEach((route, i) => {
    if (!Object.hasOwn(config.providers, route.provider)) {
      throw new TypeError(
        `${source}: 'routes.${i}.provider': no provider named '${route.provider}' ` +
          `(known: ${Object.keys(config.providers).join(', ')})`,
      );
    }
  });
  return config;
}

/** Reads and checks a routing file (JSON). */
export function loadRoutingConfig(path: string): RoutingConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TypeError(`routing file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseRoutingConfig(json, `routing file ${path}`);
}

/**
 * Creates each provider of the config through the registry (`defaults` are merged under each provider's own
 * options, e.g. the server's `allowHosts`) and one routed provider per route.
 */
export async function buildRouting(
  config: RoutingConfig,
  registry: ProviderRegistry,
  defaults: (type: string) => Record<string, unknown> = () => ({}),
): Promise<Routing> {
  const instances = new Map<string, Provider>();
  try {
    for (const [name, entry] of Object.entries(config.providers)) {
      const { type, ...options } = entry;
      try {
        instances.set(name, await registry.create(type, { ...defaults(type), ...options }));
      } catch (error) {
        throw new TypeError(`provider '${name}': ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
  } catch (error) {
    await Promise.all([...instances.values()].map((p) => p.close?.()));
    throw error;
  }
  const providers = config.routes.map((route) =>
    routedProvider(instances.get(route.provider)!, {
      models: route.models,
      ...(route.upstreamModel === undefined ? {} : { upstreamModel: route.upstreamModel }),
    }),
  );
  const model = config.agents?.['deep-research']?.model;
  return { providers, instances: [...instances.values()], ...(model ? { deepResearch: { model } } : {}) };
}
