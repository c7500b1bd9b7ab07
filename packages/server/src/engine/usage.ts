/** Usage summed across the provider calls of one turn. */
import type { ModalityTokens, Usage } from '@interplay/protocol';

const EMPTY: Usage = { total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 };

export function emptyUsage(): Usage {
  return { ...EMPTY };
}

/** Adds every numeric field; per-modality and per-tool lists are merged by key. */
export function addUsage(total: Usage, part: Usage): Usage {
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

function mergeCounts<T extends Record<string, unknown>>(
  current: unknown,
  add: readonly T[],
  key: string,
  count: string,
): T[] {
  const merged = (Array.isArray(current) ? current : []).map((e: T) => ({ ...e }));
  for (const entry of add) {
    const same = merged.find((e) => e[key] === entry[key]);
    const n = typeof entry[count] === 'number' ? entry[count] : 0;
    if (same)
      (same as Record<string, unknown>)[count] = (typeof same[count] === 'number' ? same[count] : 0) + n;
    else merged.push({ ...entry });
  }
  return merged;
}
