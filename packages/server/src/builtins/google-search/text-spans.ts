/** Words and sentences of plain text, with character offsets: shared by snippets and citations. */

export interface Span {
  start: number;
  /** Exclusive. */
  end: number;
  text: string;
}

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this to was we were what ' +
    'when where which who whom why will with would you your about after also can could more most over such ' +
    'until up out only other some very just which while during'
  ).split(' '),
);

/** Lower-case content words (no stopwords, at least two characters; digits kept: years and scores matter). */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => w.length >= 2 && !STOPWORDS.has(w),
  );
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}

/** Sentences (ending at . ! ? or a line break), trimmed, with their offsets in `text`. */
export function sentences(text: string): Span[] {
  const spans: Span[] = [];
  const pattern = /[^.!?\n]+[.!?]*["')\]]*/g;
  for (const match of text.matchAll(pattern)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const start = match.index + lead;
    spans.push({ start, end: start + trimmed.length, text: trimmed });
  }
  return mergeAbbreviations(spans, text);
}

/** "U.S." or "v2." would split a sentence: glue pieces that do not start like a sentence. */
function mergeAbbreviations(spans: Span[], text: string): Span[] {
  const merged: Span[] = [];
  for (const span of spans) {
    const previous = merged.at(-1);
    const gap = previous ? text.slice(previous.end, span.start) : '';
    if (previous && !gap.includes('\n') && /^[\p{Ll}\p{N}]/u.test(span.text)) {
      previous.end = span.end;
      previous.text = text.slice(previous.start, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** UTF-8 byte offset of character offset `index` in `text` (the wire's annotation indexes are bytes). */
export function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}
