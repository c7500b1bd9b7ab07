/**
 * `generation_config.image_config` belongs to the output format in the canonical model (steps moved it into
 * `response_format`), so it is taken out of and put back into the generation config here.
 */
import type { GenerationConfig } from '../wire/request.ts';

/** The config without `image_config`; `undefined` when image_config was all it held. */
export function withoutImageConfig(config: GenerationConfig | undefined): {
  config: GenerationConfig | undefined;
  image_config: Record<string, unknown> | undefined;
} {
  if (config?.image_config === undefined) return { config, image_config: undefined };
  const { image_config, ...rest } = config;
  return { config: Object.keys(rest).length > 0 ? rest : undefined, image_config };
}

export function withImageConfig(
  config: GenerationConfig | undefined,
  image_config: Record<string, unknown> | undefined,
): GenerationConfig | undefined {
  return image_config === undefined ? config : { ...config, image_config };
}
