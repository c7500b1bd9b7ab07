/** Create-interaction request bodies of both revisions ⇄ `CanonicalRequest`. */
import type { CanonicalRequest, Item } from '../canonical.ts';
import type { LegacyCreateRequest, StepsCreateRequest } from '../wire/request.ts';
import { withImageConfig, withoutImageConfig } from './generation-config.ts';
import { itemsToLegacyInput, itemsToStepsInput, legacyInputToItems, stepsInputToItems } from './input.ts';
import { compact, unknownFields, withExtra } from './objects.ts';
import {
  markStepsImageConfig,
  type OutputFormatFields,
  outputFormatFromFields,
  outputFormatToLegacyFields,
  outputFormatToStepsResponseFormat,
  stepsImageConfig,
} from './output-format.ts';
import { toolsToCanonical, toolsToLegacy } from './tools.ts';

/** The create request's fields that the interaction resource echoes back (convert/interaction.ts). */
export const ECHOED_REQUEST_FIELDS = [
  'model',
  'agent',
  'system_instruction',
  'tools',
  'generation_config',
  'agent_config',
  'response_format',
  'response_mime_type',
  'response_modalities',
  'previous_interaction_id',
  'service_tier',
  'webhook_config',
];

/** Fields either revision names; everything else travels in `extra`. */
const KNOWN_FIELDS = new Set([...ECHOED_REQUEST_FIELDS, 'input', 'stream', 'store', 'background']);

function toCanonical(
  req: LegacyCreateRequest | StepsCreateRequest,
  input: Item[],
  steps: boolean,
): CanonicalRequest {
  // Each field only when set, in wire order.
  const out = {} as CanonicalRequest;
  if (req.model !== undefined) out.model = req.model;
  if (req.agent !== undefined) out.agent = req.agent;
  out.input = input;
  if (req.system_instruction !== undefined) out.system_instruction = req.system_instruction;
  const tools = toolsToCanonical(req.tools);
  if (tools !== undefined) out.tools = tools;
  const { config, image_config } = withoutImageConfig(req.generation_config);
  if (config !== undefined) out.generation_config = config;
  if (req.agent_config !== undefined) out.agent_config = req.agent_config;
  const fields = req as OutputFormatFields;
  const format =
    fields.response_format !== undefined ||
    fields.response_mime_type !== undefined ||
    fields.response_modalities !== undefined ||
    image_config !== undefined
      ? outputFormatFromFields({ ...req, image_config })
      : undefined;
  if (steps) markStepsImageConfig(format, { response_format: fields.response_format, image_config });
  if (format !== undefined) out.output_format = format;
  if (req.stream !== undefined) out.stream = req.stream;
  if (req.store !== undefined) out.store = req.store;
  if (req.background !== undefined) out.background = req.background;
  if (req.previous_interaction_id !== undefined) out.previous_interaction_id = req.previous_interaction_id;
  if (req.service_tier !== undefined) out.service_tier = req.service_tier;
  if (req.webhook_config !== undefined) out.webhook_config = req.webhook_config;
  const extra = unknownFields(req, KNOWN_FIELDS);
  if (extra !== undefined) out.extra = extra;
  return out;
}

export const legacyRequestToCanonical = (req: LegacyCreateRequest): CanonicalRequest =>
  toCanonical(req, legacyInputToItems(req.input), false);

/** Steps-only fields (environment, labels, safety_settings, …) travel in `extra`. */
export const stepsRequestToCanonical = (req: StepsCreateRequest): CanonicalRequest =>
  toCanonical(req, stepsInputToItems(req.input), true);

export function canonicalToLegacyRequest(req: CanonicalRequest): LegacyCreateRequest {
  const format = outputFormatToLegacyFields(req.output_format);
  const body: LegacyCreateRequest = compact({
    model: req.model,
    agent: req.agent,
    input: itemsToLegacyInput(req.input),
    system_instruction: req.system_instruction,
    tools: toolsToLegacy(req.tools),
    generation_config: withImageConfig(req.generation_config, format.image_config),
    agent_config: req.agent_config,
    response_format: format.response_format as Record<string, unknown> | undefined,
    response_mime_type: format.response_mime_type,
    response_modalities: format.response_modalities,
    stream: req.stream,
    store: req.store,
    background: req.background,
    previous_interaction_id: req.previous_interaction_id,
    service_tier: req.service_tier,
    webhook_config: req.webhook_config,
  });
  return withExtra(body, req.extra);
}

export function canonicalToStepsRequest(req: CanonicalRequest): StepsCreateRequest {
  // Each field only when set, in wire order.
  const body = {} as StepsCreateRequest;
  if (req.model !== undefined) body.model = req.model;
  if (req.agent !== undefined) body.agent = req.agent;
  const input = itemsToStepsInput(req.input);
  if (input !== undefined) body.input = input;
  if (req.system_instruction !== undefined) body.system_instruction = req.system_instruction;
  if (req.tools !== undefined) body.tools = req.tools;
  const generationConfig = withImageConfig(req.generation_config, stepsImageConfig(req.output_format));
  if (generationConfig !== undefined) body.generation_config = generationConfig;
  if (req.agent_config !== undefined) body.agent_config = req.agent_config;
  if (req.output_format !== undefined) {
    const format = outputFormatToStepsResponseFormat(req.output_format);
    if (format !== undefined) body.response_format = format as StepsCreateRequest['response_format'];
  }
  if (req.stream !== undefined) body.stream = req.stream;
  if (req.store !== undefined) body.store = req.store;
  if (req.background !== undefined) body.background = req.background;
  if (req.previous_interaction_id !== undefined) body.previous_interaction_id = req.previous_interaction_id;
  if (req.service_tier !== undefined) body.service_tier = req.service_tier;
  if (req.webhook_config !== undefined) body.webhook_config = req.webhook_config;
  return withExtra(body, req.extra);
}
