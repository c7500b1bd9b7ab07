/**
 * `url_citation` annotations for an answer written from search results (or fetched pages): which span of the
 * text each source supports. Two signals, per sentence:
 * - markers: `[1]`, `[2, 3]` name sources by position (1-based) — exact, for models told to cite that way;
 * - overlap: otherwise a sentence sharing enough content words with one source is attributed to it.
 * Offsets are UTF-8 bytes by default (the wire's unit), end exclusive.
 */
import type { UrlCitation } from '@interplay/protocol';
import { byteOffset, contentWords, type Span, sentences } from './text-spans.ts';

export interface CitationSource {
  url: string;
  title?: string;
  /** The words the answer may repeat: a search snippet, or a fetched page's text. */
  text?: string;
}

export interface CitationOptions {
  /** Share of a sentence's content words found in the source to cite it without a marker. Default 0.5. */
  minOverlap?: number;
  /** Fewest shared content words to cite without a marker. Default 3. */
  minShared?: number;
  /** `bytes` (UTF-8, as the wire reference says) or `chars` (UTF-16 string indexes). Default `bytes`. */
  unit?: 'bytes' | 'chars';
  /** `markers` only, `overlap` only, or `both` (default). */
  match?: 'markers' | 'overlap' | 'both';
}

const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
const LEADING_MARKERS = /^(?:\s*\[\d+(?:\s*,\s*\d+)*\])+/;
const TRAILING_MARKERS = /(?:\s*\[\d+(?:\s*,\s*\d+)*\])+[.!?]*$/;

export function urlCitations(
  answer: string,
  sources: readonly CitationSource[],
  options: CitationOptions = {},
): UrlCitation[] {
  const match = options.match ?? 'both';
  const vocab = sources.map((s) => new Set(contentWords(`${s.title ?? ''} ${s.text ?? ''}`)));
  const citations: UrlCitation[] = [];
  const spans = sentences(answer);
  spans.forEach((span, i) => {
    // "…in 2016.[1] Next…" puts the marker at the start of the next sentence: it belongs to this one.
    const following = spans[i + 1] ? (LEADING_MARKERS.exec(spans[i + 1]!.text)?.[0] ?? '') : '';
    const claim = trimMarkers(span);
    if (claim.end <= claim.start) return;
    const cited = new Set<number>();
    if (match !== 'overlap') {
      const own = span.text.replace(LEADING_MARKERS, ''); // a leading marker was the previous sentence's
      for (const m of `${own}${following}`.matchAll(MARKER)) {
        for (const n of m[1]!.split(',')) {
          const index = Number(n.trim()) - 1;
          if (index >= 0 && index < sources.length) cited.add(index);
        }
      }
    }
    if (cited.size === 0 && match !== 'markers') {
      const best = bestOverlap(claim.text, vocab, options);
      if (best !== undefined) cited.add(best);
    }
    for (const index of [...cited].sort((a, b) => a - b)) {
      const source = sources[index]!;
      citations.push({
        type: 'url_citation',
        url: source.url,
        ...(source.title && { title: source.title }),
        start_index: options.unit === 'chars' ? claim.start : byteOffset(answer, claim.start),
        end_index: options.unit === 'chars' ? claim.end : byteOffset(answer, claim.end),
      });
    }
  });
  return citations;
}

/** The sentence without marker groups at its start or end ("… 2016 [1]." → "… 2016": spans are contiguous). */
function trimMarkers(span: Span): Span {
  let { start, text } = span;
  const lead = LEADING_MARKERS.exec(text)?.[0] ?? '';
  start += lead.length;
  text = text.slice(lead.length);
  const trimmedStart = text.length - text.trimStart().length;
  start += trimmedStart;
  text = text.trimStart();
  const trail = TRAILING_MARKERS.exec(text);
  if (trail) text = text.slice(0, trail.index);
  return { start, end: start + text.length, text };
}

function bestOverlap(
  sentence: string,
  vocab: readonly Set<string>[],
  options: CitationOptions,
): number | undefined {
  const words = [...new Set(contentWords(sentence))];
  if (words.length === 0) return undefined;
  let best: number | undefined;
  let bestShared = 0;
  vocab.forEach((source, i) => {
    const shared = words.filter((w) => source.has(w)).length;
    if (shared > bestShared) [best, bestShared] = [i, shared];
  });
  const enough =
    bestShared >= (options.minShared ?? 3) && bestShared / words.length >= (options.minOverlap ?? 0.5);
  return enough ? best : undefined;
}
