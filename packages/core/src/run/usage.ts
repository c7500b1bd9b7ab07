/** Usage arithmetic: totals over steps are the sums of the numeric `total_*` counters. */
import type { Usage } from '@interplay/protocol';

const COUNTERS = [
  'total_input_tokens',
  'total_cached_tokens',
  'total_output_tokens',
  'total_thought_tokens',
  'total_tool_use_tokens',
  'total_tokens',
] as const;

/** `a + b`, counter by counter (counters absent from both stay absent). */
export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const out: Usage = { ...a };
  for (const key of COUNTERS) {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'number' || typeof y === 'number') out[key] = (x ?? 0) + (y ?? 0);
  }
  return out;
}

/** Only the numeric counters of a usage object (what steps and results report). */
export function usageCounters(usage: Usage | undefined): Usage {
  return addUsage({}, usage);
}
