/**
 * Deterministic token counts for the scripted provider: one token per word of every string value, skipping
 * identifiers and payloads (`type`, ids, signatures, base64 `data`…). Not a real tokenizer: stable and testable.
 */
export function countTokens(value: unknown): number {
  if (typeof value === 'string') return countWords(value);
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) n += countTokens(value[i]);
    return n;
  }
  // Own enumerable keys (what `for…in` with a `hasOwn` check visits), in one builtin call.
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!isSkippedKey(key)) n += countTokens((value as Record<string, unknown>)[key]);
  }
  return n;
}

/** Identifiers and payloads, not words: a `switch` on the key compares it without hashing it. */
function isSkippedKey(key: string): boolean {
  switch (key) {
    case 'type':
    case 'id':
    case 'call_id':
    case 'signature':
    case 'mime_type':
    case 'data':
    case 'uri':
      return true;
    default:
      return false;
  }
}

/**
 * Runs of non-whitespace, as `/\S+/g` finds them, without building the matches. Printable ASCII (most text)
 * is decided by one comparison; only other characters go through `isSpace`.
 */
function countWords(text: string): number {
  let words = 0;
  let afterSpace = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      if (afterSpace) words++;
      afterSpace = false;
    } else {
      const space = isSpace(c);
      if (!space && afterSpace) words++;
      afterSpace = space;
    }
  }
  return words;
}

/** ECMAScript WhiteSpace and LineTerminator: what `\s` matches. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A counted conversation, remembered by the object that was its last item. */
interface Counted {
  /** The conversation, to check that a later one starts with the same objects. */
  items: readonly unknown[];
  /** Where that object sat in it (its index + 1): the length of the remembered prefix. */
  length: number;
  tokens: number;
}

const counted = new WeakMap<object, Counted>();

/**
 * `countTokens` of a conversation, without walking every earlier turn again at each turn of a chain. The next
 * request of a chain (or the next model call of a tool loop) starts with the same item objects as a
 * conversation counted before: the one it continues ended with one of them. Looking back from the end for an
 * item that ended a counted conversation at the same position — and checking that everything before it is
 * the same objects, which compares references and touches no item — gives that prefix's count; only what
 * follows is counted. One remembered entry per conversation (not per item), so a history read fresh from the
 * store, whose items are new objects, costs one counting walk and nothing more. Items must not change once
 * counted: the provider contract makes them read-only. A continued turn's history is counted by
 * history-tokens.ts instead, which remembers counts by interaction id and holds no items.
 */
export function countItemTokens(items: readonly unknown[]): number {
  let start = 0;
  let tokens = 0;
  for (let i = items.length - 1; i >= start; i--) {
    const item = items[i];
    const seen = item !== null && typeof item === 'object' ? counted.get(item) : undefined;
    if (seen && seen.length === i + 1 && sharesPrefix(items, seen.items, i)) {
      start = i + 1;
      tokens = seen.tokens;
      break;
    }
  }
  for (let i = start; i < items.length; i++) tokens += countTokens(items[i]);
  const last = items.at(-1);
  // A one-item conversation (a chain's first turn) is cheaper to count again than to remember: an entry
  // per create grows the weak table, which V8 rehashes as it fills.
  if (start < items.length && items.length > 1 && last !== null && typeof last === 'object') {
    counted.set(last, { items, length: items.length, tokens });
  }
  return tokens;
}

/** `a[0 .. length)` and `b[0 .. length)` hold the same objects. */
function sharesPrefix(a: readonly unknown[], b: readonly unknown[], length: number): boolean {
  if (a === b) return true;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}
