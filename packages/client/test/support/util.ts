/** Small helpers shared by the client tests. */
import type { CanonicalEvent, CanonicalInteraction } from '@interplay/protocol';
import type { InteractionStream, StreamEvent } from '../../src/index.ts';

export async function collect<S extends InteractionStream>(stream: S): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of stream) out.push(e as StreamEvent);
  return out;
}

/** An event without the fields a server assigns per interaction (ids), for comparing with a transcript. */
export function shape(event: Record<string, unknown>): Record<string, unknown> {
  const { event_id: _e, interaction_id: _i, ...rest } = event;
  const inner = rest.interaction as Record<string, unknown> | undefined;
  if (inner) {
    const { id: _id, ...fields } = inner;
    rest.interaction = fields;
  }
  return rest;
}

/** Text of the model_output items. */
export function outputText(interaction: CanonicalInteraction): string {
  return interaction.output
    .flatMap((item) => (item.type === 'model_output' ? (item.content ?? []) : []))
    .map((c) => (c.type === 'text' ? c.text : ''))
    .join('');
}

/** Text carried by canonical text deltas and step starts. */
export function streamedText(events: CanonicalEvent[]): string {
  let text = '';
  for (const e of events) {
    if (e.event_type === 'step.start' && e.step.type === 'model_output') {
      for (const c of e.step.content ?? []) if (c.type === 'text') text += c.text;
    }
    if (e.event_type === 'step.delta' && e.delta.type === 'text') text += e.delta.text;
  }
  return text;
}

export const CANONICAL_TYPES = new Set([
  'interaction.created',
  'interaction.status_update',
  'step.start',
  'step.delta',
  'step.stop',
  'interaction.completed',
  'error',
]);
