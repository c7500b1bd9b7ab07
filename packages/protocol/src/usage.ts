/**
 * Usage arithmetic shared by the framework (a run's total over its steps, a flow's over its steps) and the
 * server (an interaction's total over its model calls), so both count the same way.
 */
import type { ModalityTokens, Usage } from './wire/common.ts';

/**
 * `total + part`: every numeric counter is summed (a counter missing on one side counts 0; missing on both it
 * stays absent); `*_by_modality` lists are merged by `modality` and `grounding_tool_count` by `type`, summing
 * their counts; any other field keeps the first value seen. Neither argument is changed.
 *
 * @example
 * addUsage({ total_tokens: 10, input_tokens_by_modality: [{ modality: 'text', tokens: 8 }] },
 *          { total_tokens: 5, input_tokens_by_modality: [{ modality: 'image', tokens: 3 }] });
 * // → { total_tokens: 15, input_tokens_by_modality: [{ modality: 'text', tokens: 8 }, { modality: 'image', tokens: 3 }] }
 */
export function addUsage(total: Usage, part: Usage | undefined): Usage {
  const sum: Usage = { ...total };
  for (const key in part) {
    if (!Object.hasOwn(part, key)) continue;
    const value = part[key];
    const current = sum[key];
    if (typeof value === 'number') sum[key] = (typeof current === 'number' ? current : 0) + value;
    else if (key.endsWith('_by_modality') && Array.isArray(value))
      sum[key] = mergeCounts(current, value as ModalityTokens[], 'modality', 'tokens');
    else if (key === 'grounding_tool_count' && Array.isArray(value))
      sum[key] = mergeCounts(current, value as Record<string, unknown>[], 'type', 'count');
    else if (current === undefined) sum[key] = value;
  }
  return sum;
}

/** Entries of `current` and `add` with the same `key` become one, their `count` fields summed. */
function mergeCounts<T extends Record<string, unknown>>(
  current: unknown,
  add: readonly T[],
  key: string,
  count: string,
): T[] {
  const merged: Record<string, unknown>[] = (Array.isArray(current) ? current : []).map((e: T) => ({ ...e }));
  for (const entry of add) {
    const same = merged.find((e) => e[key] === entry[key]);
    const n = typeof entry[count] === 'number' ? entry[count] : 0;
    if (same) same[count] = (typeof same[count] === 'number' ? same[count] : 0) + n;
    else merged.push({ ...entry });
  }
  return merged as T[];
}
