/**
 * Deterministic token counts for the scripted provider: one token per word of every string value, skipping
 * identifiers and payloads (`type`, ids, signatures, base64 `data`…). Not a real tokenizer: stable and testable.
 */
const SKIPPED_KEYS: ReadonlySet<string> = new Set([
  'type',
  'id',
  'call_id',
  'signature',
  'mime_type',
  'data',
  'uri',
]);

export function countTokens(value: unknown): number {
  if (typeof value === 'string') return value.match(/\S+/g)?.length ?? 0;
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countTokens(v), 0);
  if (value && typeof value === 'object') {
    let n = 0;
    for (const [key, v] of Object.entries(value)) if (!SKIPPED_KEYS.has(key)) n += countTokens(v);
    return n;
  }
  return 0;
}
