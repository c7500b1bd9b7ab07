/** A streamed function call's arguments: `arguments_delta` fragments are pieces of one JSON text. */

/**
 * The arguments once every fragment is in: the joined JSON parsed, over whatever step.start carried. When
 * the text is not a JSON object it is returned as is, so the caller sees the model's malformed call.
 */
export function joinArguments(startArguments: unknown, fragments: readonly string[]): unknown {
  const base = typeof startArguments === 'object' && startArguments !== null ? startArguments : {};
  if (fragments.length === 0) return base;
  const text = fragments.join('');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return text;
    return { ...base, ...parsed };
  } catch {
    return text;
  }
}
