/**
 * Helpers shared by the stream-conversion tests (`convert-stream-*.test.ts`): run events through either
 * converter or the accumulator, and line up stream-converted items with unary-converted ones.
 */
import {
  type CanonicalEvent,
  CanonicalToLegacyEvents,
  type Item,
  type LegacyEvent,
  LegacyToCanonicalEvents,
  StreamAccumulator,
} from '../../src/index.ts';

export const toCanonical = (events: readonly LegacyEvent[]): CanonicalEvent[] => {
  const converter = new LegacyToCanonicalEvents();
  return events.flatMap((e) => converter.push(e));
};
export const toLegacy = (events: readonly CanonicalEvent[]): LegacyEvent[] => {
  const converter = new CanonicalToLegacyEvents();
  return events.flatMap((e) => converter.push(e));
};
export const accumulate = (events: readonly CanonicalEvent[]): StreamAccumulator => {
  const acc = new StreamAccumulator();
  for (const e of events) acc.push(e);
  return acc;
};

/** Stream conversion gives one model_output step per legacy block; unary conversion groups them. */
export function mergeModelOutputs(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (item.type === 'model_output' && last?.type === 'model_output') {
      out[out.length - 1] = { ...last, content: [...(last.content ?? []), ...(item.content ?? [])] };
    } else {
      out.push(item);
    }
  }
  return out;
}
