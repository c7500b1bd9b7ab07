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
  if (typeof value === 'string') return countWords(value);
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  if (Array.isArray(value)) {
    let n = 0;
    for (const v of value) n += countTokens(v);
    return n;
  }
  if (value && typeof value === 'object') {
    let n = 0;
    for (const key in value) {
      if (Object.hasOwn(value, key) && !SKIPPED_KEYS.has(key))
        n += countTokens((value as Record<string, unknown>)[key]);
    }
    return n;
  }
  return 0;
}

/** Runs of non-whitespace, as `/\S+/g` finds them, without building the matches. */
function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
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

/** Tokens of each item, by identity: a chain's items are the same objects turn after turn. */
const itemTokens = new WeakMap<object, number>();

/** A conversation counted recently, with its running totals at its last few lengths. */
interface Counted {
  items: readonly unknown[];
  /** `totals[k]` = tokens of `items[0 .. items.length - k)`, for k = 0 … TAIL. */
  totals: number[];
}

/** Conversations remembered, and cut points remembered per conversation. */
const RECENT = 16;
const TAIL = 4;
const recent: Counted[] = [];

/**
 * `countTokens` of a conversation, without walking every earlier turn again at each turn of a chain. The next
 * request of a chain starts with the same item objects as one counted just before (the turn it continues, or a
 * sibling branch): that shared prefix is found among the recent conversations — checked element by element,
 * which compares references and touches no item — and only what follows it is counted, item by item
 * (each item's count remembered by identity). Items must not change once counted: the provider contract makes
 * them read-only.
 */
export function countItemTokens(items: readonly unknown[]): number {
  // One item (a first turn) shares no prefix worth remembering: its next turn reads it back from the store.
  if (items.length <= 1) return items.length === 0 ? 0 : itemCount(items[0]);
  let start = 0;
  let base = 0;
  for (const seen of recent) {
    for (let k = 0; k < seen.totals.length; k++) {
      const cut = seen.items.length - k;
      if (cut <= start || cut > items.length) continue;
      if (sharesPrefix(items, seen.items, cut)) {
        start = cut;
        base = seen.totals[k] as number;
        break;
      }
    }
  }
  const running = [base];
  for (let i = start; i < items.length; i++) running.push((running.at(-1) as number) + itemCount(items[i]));
  const totals: number[] = [];
  for (let k = 0; k <= TAIL && items.length - k >= start; k++)
    totals.push(running[items.length - k - start] as number);
  recent.unshift({ items, totals });
  if (recent.length > RECENT) recent.pop();
  return running.at(-1) as number;
}

function itemCount(item: unknown): number {
  // Only frozen items are remembered: those are a chain's history, handed to every later turn; this turn's
  // own items are counted once (remembering each would cost a weak-map entry per create for nothing).
  if (item === null || typeof item !== 'object' || !Object.isFrozen(item)) return countTokens(item);
  let count = itemTokens.get(item);
  if (count === undefined) {
    count = countTokens(item);
    itemTokens.set(item, count);
  }
  return count;
}

/** `a[0 .. length)` and `b[0 .. length)` hold the same objects (last first: that is where they usually differ). */
function sharesPrefix(a: readonly unknown[], b: readonly unknown[], length: number): boolean {
  if (a === b) return true;
  if (a[length - 1] !== b[length - 1]) return false;
  for (let i = 0; i < length - 1; i++) if (a[i] !== b[i]) return false;
  return true;
}
