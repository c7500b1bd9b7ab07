/** Stored record → the Interaction resource of a revision. */
import {
  type CanonicalInteraction,
  canonicalToLegacyInteraction,
  canonicalToStepsInteraction,
  type LegacyInteraction,
  type Revision,
  type StepsInteraction,
} from '@interplay/protocol';
import type { InteractionRecord } from '../store/store.ts';

export function toCanonicalInteraction(record: InteractionRecord): CanonicalInteraction {
  const q = record.request;
  const ci: CanonicalInteraction = { id: record.id, status: record.status, output: record.output };
  if (record.model !== undefined) ci.model = record.model;
  if (record.agent !== undefined) ci.agent = record.agent;
  ci.created = record.created;
  ci.updated = record.updated;
  ci.input = q.input;
  if (record.usage !== undefined) ci.usage = record.usage;
  if (record.previousId !== undefined) ci.previous_interaction_id = record.previousId;
  if (q.system_instruction !== undefined) ci.system_instruction = q.system_instruction;
  if (q.tools !== undefined) ci.tools = q.tools;
  if (q.generation_config !== undefined) ci.generation_config = q.generation_config;
  if (q.agent_config !== undefined) ci.agent_config = q.agent_config;
  if (q.output_format !== undefined) ci.output_format = q.output_format;
  if (q.service_tier !== undefined) ci.service_tier = q.service_tier;
  if (q.webhook_config !== undefined) ci.webhook_config = q.webhook_config;
  if (record.error !== undefined) ci.errors = [record.error];
  if (q.extra !== undefined) ci.extra = q.extra;
  return ci;
}

/**
 * The resource as a revision shows it. Steps: `steps` holds the `user_input` step(s) first when
 * `includeInput` (GET always does); legacy: `input` is echoed only when `includeInput`.
 */
export function interactionBody(
  record: InteractionRecord,
  revision: Revision,
  includeInput: boolean,
): LegacyInteraction | StepsInteraction {
  const ci = toCanonicalInteraction(record);
  const body =
    revision === 'legacy'
      ? canonicalToLegacyInteraction(ci, { includeInput })
      : canonicalToStepsInteraction(ci, { includeInput });
  body.object = 'interaction';
  return body;
}
