/**
 * Provider names → factories, for configuration (`interplay serve --provider openai --provider-url URL`, the
 * routing file): `scripted`, `openai`, `gemini` and `anthropic` ship.
 */
import type { AnthropicProviderOptions } from './anthropic/options.ts';
import type { GeminiProviderOptions } from './gemini/options.ts';
import type { OpenAIProviderOptions } from './openai/options.ts';
import type { Provider } from './provider.ts';
import { createScriptedProvider } from './scripted/provider.ts';
import { loadScript, type ScriptInput } from './scripted/script.ts';

/** Factory options as configured (CLI flags, config file); each factory checks its own. */
export type ProviderOptions = Record<string, unknown>;
export type ProviderFactory = (options: ProviderOptions) => Provider | Promise<Provider>;

export interface ProviderRegistry {
  register(name: string, factory: ProviderFactory): void;
  names(): string[];
  /** Throws when `name` is unknown, listing the known names. */
  create(name: string, options?: ProviderOptions): Promise<Provider>;
}

/**
 * `scripted` options: `script` (a path to a .json/.ts/.js script, or a script object; default: the built-in
 * script), `models` (ids served; default all), `delayMs` (pause between streamed deltas).
 */
export const createScripted: ProviderFactory = async (options) => {
  const { script, models, delayMs } = options;
  if (models !== undefined && !(Array.isArray(models) && models.every((m) => typeof m === 'string'))) {
    throw new TypeError('scripted provider: `models` must be a list of model ids');
  }
  if (delayMs !== undefined && typeof delayMs !== 'number') {
    throw new TypeError('scripted provider: `delayMs` must be a number');
  }
  return createScriptedProvider({
    ...(script === undefined
      ? {}
      : { script: typeof script === 'string' ? await loadScript(script) : (script as ScriptInput) }),
    ...(models === undefined ? {} : { models: models as string[] }),
    ...(delayMs === undefined ? {} : { delayMs }),
  });
};

/**
 * `openai` options: see {@link OpenAIProviderOptions} (`baseUrl` required). The provider's module (and undici)
 * load only when one is configured.
 */
export const createOpenAI: ProviderFactory = async (options) => {
  const [{ parseOpenAIOptions }, { createOpenAIProvider }] = await Promise.all([
    import('./openai/options.ts'),
    import('./openai/provider.ts'),
  ]);
  return createOpenAIProvider(parseOpenAIOptions(options));
};

/**
 * `gemini` options: see {@link GeminiProviderOptions} (all optional: the Gemini API with `GEMINI_API_KEY`).
 * The provider's module (and undici) load only when one is configured.
 */
export const createGemini: ProviderFactory = async (options) => {
  const [{ parseGeminiOptions }, { createGeminiProvider }] = await Promise.all([
    import('./gemini/options.ts'),
    import('./gemini/provider.ts'),
  ]);
  return createGeminiProvider(parseGeminiOptions(options));
};

/**
 * `anthropic` options: see {@link AnthropicProviderOptions} (all optional: the Messages API with
 * `ANTHROPIC_API_KEY`). The provider's module (and undici) load only when one is configured.
 */
export const createAnthropic: ProviderFactory = async (options) => {
  const [{ parseAnthropicOptions }, { createAnthropicProvider }] = await Promise.all([
    import('./anthropic/options.ts'),
    import('./anthropic/provider.ts'),
  ]);
  return createAnthropicProvider(parseAnthropicOptions(options));
};

/** A registry holding the built-in providers. */
export function createProviderRegistry(): ProviderRegistry {
  const factories = new Map<string, ProviderFactory>([
    ['scripted', createScripted],
    ['openai', createOpenAI],
    ['gemini', createGemini],
    ['anthropic', createAnthropic],
  ]);
  return {
    register(name, factory) {
      if (factories.has(name)) throw new Error(`provider '${name}' is already registered`);
      factories.set(name, factory);
    },
    names: () => [...factories.keys()],
    async create(name, options = {}) {
      const factory = factories.get(name);
      if (!factory)
        throw new Error(`unknown provider '${name}' (known: ${[...factories.keys()].join(', ')})`);
      return factory(options);
    },
  };
}
