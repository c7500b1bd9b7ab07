/**
 * The partial interaction carried by interaction.* events, converted through the full resource converters
 * and trimmed back to the fields the source event had (a start event has no outputs/steps to invent).
 */
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import {
  canonicalToLegacyInteraction,
  canonicalToStepsInteraction,
  legacyInteractionToCanonical,
  stepsInteractionToCanonical,
} from './interaction.ts';

/** What interaction.* events carry: any subset of the resource, always with its id. */
type EventInteraction<T> = Partial<T> & { id: string };

export function legacyEventInteractionToSteps(
  source: EventInteraction<LegacyInteraction>,
): EventInteraction<StepsInteraction> {
  const ci = legacyInteractionToCanonical(source as LegacyInteraction);
  const out: EventInteraction<StepsInteraction> = canonicalToStepsInteraction(ci, {
    includeInput: source.input !== undefined,
  });
  if (source.outputs === undefined && source.input === undefined) delete out.steps;
  if (source.object === undefined) delete out.object;
  return out;
}

/**
 * `role` is not on the steps wire; the reference shows it on `interaction.complete` but not on
 * `interaction.start`, so `withRole` mirrors that.
 */
export function stepsEventInteractionToLegacy(
  source: EventInteraction<StepsInteraction>,
  withRole: boolean,
): EventInteraction<LegacyInteraction> {
  const ci = stepsInteractionToCanonical(source as StepsInteraction);
  const out: EventInteraction<LegacyInteraction> = canonicalToLegacyInteraction(ci, {
    includeInput: ci.input !== undefined,
  });
  if (source.steps === undefined) delete out.outputs;
  if (source.object === undefined) delete out.object;
  if (!withRole) delete out.role;
  return out;
}
