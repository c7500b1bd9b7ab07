/** Interaction resources of both revisions ⇄ `CanonicalInteraction`. */
import type { CanonicalInteraction, Item } from '../canonical.ts';
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import type { GenerationConfig } from '../wire/request.ts';
import { withImageConfig, withoutImageConfig } from './generation-config.ts';
import { itemsToLegacyInput, legacyInputToItems } from './input.ts';
import { isUserSideItem } from './item-groups.ts';
import { compact, unknownFields, withExtra } from './objects.ts';
import {
  markStepsImageConfig,
  outputFormatFromFields,
  outputFormatToLegacyFields,
  outputFormatToStepsResponseFormat,
  stepsImageConfig,
} from './output-format.ts';
import { itemsToLegacyContents, legacyContentsToItems } from './outputs.ts';
import { ECHOED_REQUEST_FIELDS } from './request.ts';
import { toolsToCanonical, toolsToLegacy } from './tools.ts';

export interface InteractionOutputOptions {
  /** Echo the interaction's input (GET `include_input=true`). */
  includeInput?: boolean;
}

const SHARED_FIELDS = [
  ...ECHOED_REQUEST_FIELDS,
  'id',
  'object',
  'status',
  'created',
  'updated',
  'usage',
  'errors',
];
/** `role` is derived from model/agent, so it is known but not kept. */
const LEGACY_FIELDS = new Set([...SHARED_FIELDS, 'role', 'outputs', 'input']);
const STEPS_FIELDS = new Set([...SHARED_FIELDS, 'steps']);

type Fields = Omit<CanonicalInteraction, 'input' | 'output'>;

/** The fields both revisions share, each only when set. */
function sharedToCanonical(source: LegacyInteraction | StepsInteraction, known: ReadonlySet<string>): Fields {
  const out = {} as Fields;
  if (source.id !== undefined) out.id = source.id;
  if (source.status !== undefined) out.status = source.status;
  if (source.model !== undefined) out.model = source.model;
  if (source.agent !== undefined) out.agent = source.agent;
  if (source.created !== undefined) out.created = source.created;
  if (source.updated !== undefined) out.updated = source.updated;
  if (source.usage !== undefined) out.usage = source.usage;
  if (source.previous_interaction_id !== undefined)
    out.previous_interaction_id = source.previous_interaction_id;
  if (source.system_instruction !== undefined) out.system_instruction = source.system_instruction;
  const tools = toolsToCanonical(source.tools);
  if (tools !== undefined) out.tools = tools;
  const { config, image_config } = withoutImageConfig(
    source.generation_config as GenerationConfig | undefined,
  );
  if (config !== undefined) out.generation_config = config;
  if (source.agent_config !== undefined)
    out.agent_config = source.agent_config as CanonicalInteraction['agent_config'];
  const hasFormat =
    source.response_format !== undefined ||
    source.response_mime_type !== undefined ||
    source.response_modalities !== undefined ||
    image_config !== undefined;
  const format = hasFormat
    ? outputFormatFromFields({
        response_format: source.response_format,
        response_mime_type: source.response_mime_type,
        response_modalities: source.response_modalities,
        image_config,
      })
    : undefined;
  if (format !== undefined) out.output_format = format;
  if (source.service_tier !== undefined) out.service_tier = source.service_tier;
  if (source.webhook_config !== undefined) out.webhook_config = source.webhook_config;
  if (source.errors !== undefined) out.errors = source.errors as CanonicalInteraction['errors'];
  const extra = unknownFields(source, known);
  if (extra !== undefined) out.extra = extra;
  return out;
}

export function legacyInteractionToCanonical(interaction: LegacyInteraction): CanonicalInteraction {
  return compact({
    ...sharedToCanonical(interaction, LEGACY_FIELDS),
    input: interaction.input === undefined ? undefined : legacyInputToItems(interaction.input),
    output: legacyContentsToItems(interaction.outputs ?? []),
  });
}

/**
 * The steps timeline is split after its last user-side step (`user_input` or `function_result`): outputs
 * never contain those, and a stateless history (user, model, user) belongs to the input as a whole.
 */
export function stepsInteractionToCanonical(interaction: StepsInteraction): CanonicalInteraction {
  const steps: Item[] = interaction.steps ?? [];
  const split = steps.findLastIndex(isUserSideItem) + 1;
  const ci = sharedToCanonical(interaction, STEPS_FIELDS) as CanonicalInteraction;
  markStepsImageConfig(ci.output_format, {
    response_format: interaction.response_format,
    image_config: (interaction.generation_config as { image_config?: unknown } | undefined)?.image_config,
  });
  if (split > 0) ci.input = steps.slice(0, split);
  ci.output = split > 0 ? steps.slice(split) : steps.slice();
  return ci;
}

function sharedFromCanonical(ci: CanonicalInteraction) {
  return {
    id: ci.id,
    object: 'interaction' as const,
    status: ci.status,
    model: ci.model,
    agent: ci.agent,
    created: ci.created,
    updated: ci.updated,
  };
}

function echoesFromCanonical(ci: CanonicalInteraction) {
  return {
    usage: ci.usage,
    errors: ci.errors,
    previous_interaction_id: ci.previous_interaction_id,
    system_instruction: ci.system_instruction,
    agent_config: ci.agent_config,
    service_tier: ci.service_tier,
    webhook_config: ci.webhook_config,
  };
}

/** Legacy resource: `outputs`, `role` "agent" for agent runs else "model", `input` only when asked. */
export function canonicalToLegacyInteraction(
  ci: CanonicalInteraction,
  options: InteractionOutputOptions = {},
): LegacyInteraction {
  const format = outputFormatToLegacyFields(ci.output_format);
  const body: LegacyInteraction = compact({
    ...sharedFromCanonical(ci),
    role: ci.agent !== undefined ? 'agent' : 'model',
    input: options.includeInput && ci.input !== undefined ? itemsToLegacyInput(ci.input) : undefined,
    outputs: itemsToLegacyContents(ci.output),
    ...echoesFromCanonical(ci),
    tools: toolsToLegacy(ci.tools),
    generation_config: withImageConfig(ci.generation_config, format.image_config),
    response_format: format.response_format,
    response_mime_type: format.response_mime_type,
    response_modalities: format.response_modalities,
  });
  return withExtra(body, ci.extra);
}

/** Steps resource: `steps` = input items (when asked) then output items. */
export function canonicalToStepsInteraction(
  ci: CanonicalInteraction,
  options: InteractionOutputOptions = {},
): StepsInteraction {
  const input = options.includeInput ? (ci.input ?? []) : [];
  // Each field only when set, in the order the wire shows them.
  const body = {} as StepsInteraction;
  if (ci.id !== undefined) body.id = ci.id;
  body.object = 'interaction';
  if (ci.status !== undefined) body.status = ci.status;
  if (ci.model !== undefined) body.model = ci.model;
  if (ci.agent !== undefined) body.agent = ci.agent;
  if (ci.created !== undefined) body.created = ci.created;
  if (ci.updated !== undefined) body.updated = ci.updated;
  body.steps = input.length === 0 ? ci.output.slice() : [...input, ...ci.output];
  if (ci.usage !== undefined) body.usage = ci.usage;
  if (ci.errors !== undefined) body.errors = ci.errors;
  if (ci.previous_interaction_id !== undefined) body.previous_interaction_id = ci.previous_interaction_id;
  if (ci.system_instruction !== undefined) body.system_instruction = ci.system_instruction;
  if (ci.agent_config !== undefined) body.agent_config = ci.agent_config;
  if (ci.service_tier !== undefined) body.service_tier = ci.service_tier;
  if (ci.webhook_config !== undefined) body.webhook_config = ci.webhook_config;
  if (ci.tools !== undefined) body.tools = ci.tools;
  const generationConfig = withImageConfig(ci.generation_config, stepsImageConfig(ci.output_format));
  if (generationConfig !== undefined) body.generation_config = generationConfig;
  const responseFormat = outputFormatToStepsResponseFormat(ci.output_format);
  if (responseFormat !== undefined)
    body.response_format = responseFormat as StepsInteraction['response_format'];
  return withExtra(body, ci.extra);
}
