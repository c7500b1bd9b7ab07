/** Lossless-where-possible converters between the two wire revisions and the canonical model. */
export { StreamAccumulator } from './accumulator.ts';
export { CanonicalToLegacyEvents } from './canonical-to-legacy-events.ts';
export {
  itemsToLegacyInput,
  itemsToStepsInput,
  type LegacyInput,
  legacyInputToItems,
  type StepsInput,
  stepsInputToItems,
} from './input.ts';
export {
  canonicalToLegacyInteraction,
  canonicalToStepsInteraction,
  type InteractionOutputOptions,
  legacyInteractionToCanonical,
  stepsInteractionToCanonical,
} from './interaction.ts';
export { LegacyToCanonicalEvents } from './legacy-to-canonical-events.ts';
export { cloneJson } from './objects.ts';
export { itemsToLegacyContents, legacyContentsToItems } from './outputs.ts';
export {
  canonicalToLegacyRequest,
  canonicalToStepsRequest,
  legacyRequestToCanonical,
  stepsRequestToCanonical,
} from './request.ts';
export { isToolCallType, isToolResultType, type ToolStepFields, ToolStepStream } from './tool-steps.ts';
