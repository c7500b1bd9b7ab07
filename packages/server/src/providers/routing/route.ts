/**
 * A route: the model ids (globs) a provider serves and the upstream model name they become. The engine tries
 * routes in order and takes the first whose globs match the request's model (or agent) id.
 *
 * @example
 * const local = routedProvider(ollama, { models: ['gemini-*'], upstreamModel: 'qwen3:8b' });
 * local.supportsModel?.('gemini-3-flash-preview'); // true; the upstream is asked for qwen3:8b
 */
import type { Provider } from '../provider.ts';

export interface RouteOptions {
  /** Model id globs: `*` matches any run of characters. */
  models: readonly string[];
  /** The model name sent upstream; absent: the requested id passes through. */
  upstreamModel?: string;
}

export function routedProvider(provider: Provider, route: RouteOptions): Provider {
  const patterns = route.models.map(globToRegex);
  const { upstreamModel } = route;
  return {
    name: provider.name,
    ...(provider.specificationVersion ? { specificationVersion: provider.specificationVersion } : {}),
    supportsModel: (model) => patterns.some((p) => p.test(model)),
    generate: (request, signal) =>
      provider.generate(upstreamModel === undefined ? request : { ...request, model: upstreamModel }, signal),
  };
}

/** `gemini-*` → /^gemini-.*$/ (every other character literal). */
export function globToRegex(glob: string): RegExp {
  const parts = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}
