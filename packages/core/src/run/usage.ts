/** Usage arithmetic: totals over steps are the sums of the numeric `total_*` counters. */
import type { Usage } from '@interplay/protocol';

/** `a + b`, counter by counter (counters absent from both stay absent). */
export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const out: Usage = { ...a };
  // Named, not looped over a key list: a loop made every read a generic (megamorphic) lookup, every step.
  const input = sum(a.total_input_tokens, b.total_input_tokens);
  if (input !== undefined) out.total_input_tokens = input;
  const cached = sum(a.total_cached_tokens, b.total_cached_tokens);
  if (cached !== undefined) out.total_cached_tokens = cached;
  const output = sum(a.total_output_tokens, b.total_output_tokens);
  if (output !== undefined) out.total_output_tokens = output;
  const thought = sum(a.total_thought_tokens, b.total_thought_tokens);
  if (thought !== undefined) out.total_thought_tokens = thought;
  const toolUse = sum(a.total_tool_use_tokens, b.total_tool_use_tokens);
  if (toolUse !== undefined) out.total_tool_use_tokens = toolUse;
  const total = sum(a.total_tokens, b.total_tokens);
  if (total !== undefined) out.total_tokens = total;
  return out;
}

/** Either counter a number: their sum (a missing one counts 0); neither: absent. */
function sum(x: unknown, y: unknown): number | undefined {
  const nx = typeof x === 'number';
  const ny = typeof y === 'number';
  if (!nx && !ny) return undefined;
  return (nx ? (x as number) : 0) + (ny ? (y as number) : 0);
}

/** Only the numeric counters of a usage object (what steps and results report). */
export function usageCounters(usage: Usage | undefined): Usage {
  return addUsage({}, usage);
}
