/** Interaction resources of both revisions ⇄ `CanonicalInteraction`. */
import type { CanonicalInteraction, Item } from '../canonical.ts';
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import type { GenerationConfig } from '../wire/request.ts';
import { withImageConfig, withoutImageConfig } from './generation-config.ts';
import { itemsToLegacyInput, legacyInputToItems } from './input.ts';
import { isUserSideItem } from './item-groups.ts';
import { compact, unknownFields, withExtra } from './objects.ts';
import {
  outputFormatFromFields,
  outputFormatToLegacyFields,
  outputFormatToStepsResponseFormat,
} from './output-format.ts';
import { itemsToLegacyContents, legacyContentsToItems } from './outputs.ts';
import { toolsToCanonical, toolsToLegacy } from './tools.ts';

export interface InteractionOutputOptions {
  /** Echo the interaction's input (GET `include_input=true`). */
  includeInput?: boolean;
}

const SHARED_FIELDS = [
  'id',
  'object',
  'status',
  'model',
  'agent',
  'created',
  'updated',
  'usage',
  'errors',
  'previous_interaction_id',
  'system_instruction',
  'tools',
  'generation_config',
  'agent_config',
  'response_format',
  'response_mime_type',
  'response_modalities',
  'service_tier',
  'webhook_config',
];
/** `role` is derived from model/agent, so it is known but not kept. */
const LEGACY_FIELDS = new Set([...SHARED_FIELDS, 'role', 'outputs', 'input']);
const STEPS_FIELDS = new Set([...SHARED_FIELDS, 'steps']);

type Fields = Omit<CanonicalInteraction, 'input' | 'output'>;

function sharedToCanonical(source: LegacyInteraction | StepsInteraction, known: ReadonlySet<string>): Fields {
  const { config, image_config } = withoutImageConfig(
    source.generation_config as GenerationConfig | undefined,
  );
  return compact({
    id: source.id,
    status: source.status,
    model: source.model,
    agent: source.agent,
    created: source.created,
    updated: source.updated,
    usage: source.usage,
    previous_interaction_id: source.previous_interaction_id,
    system_instruction: source.system_instruction,
    tools: toolsToCanonical(source.tools),
    generation_config: config,
    agent_config: source.agent_config as CanonicalInteraction['agent_config'],
    output_format: outputFormatFromFields({
      response_format: source.response_format,
      response_mime_type: source.response_mime_type,
      response_modalities: source.response_modalities,
      image_config,
    }),
    service_tier: source.service_tier,
    webhook_config: source.webhook_config,
    errors: source.errors as CanonicalInteraction['errors'],
    extra: unknownFields(source, known),
  });
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
  return compact({
    ...sharedToCanonical(interaction, STEPS_FIELDS),
    input: split > 0 ? steps.slice(0, split) : undefined,
    output: steps.slice(split),
  });
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
  const body: StepsInteraction = compact({
    ...sharedFromCanonical(ci),
    steps: [...input, ...ci.output],
    ...echoesFromCanonical(ci),
    tools: ci.tools,
    generation_config: ci.generation_config,
    response_format: outputFormatToStepsResponseFormat(ci.output_format),
  });
  return withExtra(body, ci.extra);
}
