/**
 * Revision adapters over @interplay/protocol's converters: a wire interaction to the canonical model, and a
 * per-stream event converter (stateful for legacy) feeding a canonical `StreamAccumulator`.
 */
import {
  type CanonicalEvent,
  type CanonicalInteraction,
  InteractionsError,
  type LegacyEvent,
  type LegacyInteraction,
  LegacyToCanonicalEvents,
  legacyInteractionToCanonical,
  parseEvent,
  type Revision,
  type StepsEvent,
  type StepsInteraction,
  StreamAccumulator,
  stepsInteractionToCanonical,
} from '@interplay/protocol';
import { malformedStreamError } from './errors.ts';
import { readInteraction } from './read-interaction.ts';

export { StreamAccumulator };

export interface EventAdapter {
  readonly accumulator: StreamAccumulator;
  /**
   * Validate one wire event (lenient schema: unknown types and extra fields kept), convert it and feed the
   * accumulator. Throws a typed `api_error` (`malformed_stream`) when the event does not fit the revision.
   */
  push(data: Record<string, unknown>): { raw: LegacyEvent | StepsEvent; events: CanonicalEvent[] };
}

export function newEventAdapter(revision: Revision, requestId?: () => string | undefined): EventAdapter {
  const accumulator = new StreamAccumulator();
  const legacy = revision === 'legacy' ? new LegacyToCanonicalEvents() : undefined;
  return {
    accumulator,
    push(data) {
      const parsed = parseEvent(data, revision);
      if (!parsed.ok) throw malformedStreamError(parsed.error.message, requestId?.());
      const raw = parsed.value;
      const events = legacy ? legacy.push(raw as LegacyEvent) : [raw as CanonicalEvent];
      for (const e of events) accumulator.push(e);
      return { raw, events };
    },
  };
}

/** Check (read-interaction.ts) and convert an Interaction resource; a typed `api_error` when it is not one. */
export function interactionToCanonical(
  revision: Revision,
  body: unknown,
  requestId?: string,
): { raw: LegacyInteraction | StepsInteraction; interaction: CanonicalInteraction } {
  const parsed = readInteraction<LegacyInteraction | StepsInteraction>(body, revision);
  if (!parsed.ok) {
    throw new InteractionsError('api_error', `Invalid interaction in response: ${parsed.message}`, {
      status: 500,
      requestId,
    });
  }
  const raw = parsed.value;
  const interaction =
    revision === 'legacy'
      ? legacyInteractionToCanonical(raw as LegacyInteraction)
      : stepsInteractionToCanonical(raw as StepsInteraction);
  return { raw, interaction };
}
