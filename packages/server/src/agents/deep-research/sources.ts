/**
 * From search results to sources: which hits to read, what was read, and the notes taken from it (the
 * sentences most relevant to the question, each tagged with its source number `[n]`).
 */
import type { Item } from '@interplay/protocol';
import { contentWords, sentences } from '../../builtins/google-search/text-spans.ts';

export interface Hit {
  url: string;
  title: string;
  snippet: string;
  query: string;
}

export interface Source {
  /** 1-based: the `[n]` the report cites it by. */
  n: number;
  url: string;
  title: string;
  /** The page's text when it was read, else the search snippet. */
  text: string;
  /** Whether `url_context` read the page (false: only the snippet is known). */
  read: boolean;
}

/** Hits of `google_search_result` items, in order, without the `search_suggestions` entry. */
export function hitsOf(results: readonly Item[]): Hit[][] {
  return results.map((item) => {
    if (item.type !== 'google_search_result' || item.is_error || !Array.isArray(item.result)) return [];
    return (item.result as Record<string, unknown>[]).flatMap((entry) =>
      typeof entry?.url === 'string'
        ? [
            {
              url: entry.url,
              title: typeof entry.title === 'string' ? entry.title : entry.url,
              snippet: typeof entry.snippet === 'string' ? entry.snippet : '',
              query: typeof entry.query === 'string' ? entry.query : '',
            },
          ]
        : [],
    );
  });
}

/**
 * The `max` best distinct hits by reciprocal-rank fusion over the queries' ranked lists: a page scores
 * 1/(rank+1) per query that found it, so pages several searches agree on come first and a page only one
 * query found far down its list comes last. Ties keep the order pages were first found in.
 */
export function selectHits(perQuery: readonly Hit[][], max: number): Hit[] {
  const fused = new Map<string, { hit: Hit; score: number; order: number }>();
  for (const list of perQuery) {
    list.forEach((hit, rank) => {
      const entry = fused.get(hit.url);
      if (entry) entry.score += 1 / (rank + 1);
      else fused.set(hit.url, { hit, score: 1 / (rank + 1), order: fused.size });
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, max)
    .map((entry) => entry.hit);
}

/** Sources for the chosen hits: the page text where `url_context` read it, else the snippet. */
export function sourcesFrom(hits: readonly Hit[], read: Item | undefined): Source[] {
  const pages = new Map<string, { title?: string; text: string }>();
  if (read?.type === 'url_context_result' && Array.isArray(read.result)) {
    for (const page of read.result as Record<string, unknown>[]) {
      if (page?.status === 'success' && typeof page.url === 'string' && typeof page.text === 'string') {
        pages.set(page.url, {
          text: page.text,
          ...(typeof page.title === 'string' && page.title ? { title: page.title } : {}),
        });
      }
    }
  }
  return hits.map((hit, i) => {
    const page = pages.get(hit.url);
    return {
      n: i + 1,
      url: hit.url,
      title: hit.title || page?.title || hit.url,
      text: page?.text.trim() || hit.snippet,
      read: page !== undefined,
    };
  });
}

/** Longest note: a page without sentence breaks is one "sentence", and notes go into the writer's prompt. */
const NOTE_CHARS = 600;

/**
 * Notes: per source, the `perSource` sentences sharing most content words with the question and queries
 * (document order, at least one shared word; the first sentence when none does), as `- sentence [n]` lines.
 */
export function takeNotes(sources: readonly Source[], topic: string, perSource = 2): string[] {
  const wanted = new Set(contentWords(topic));
  const seen = new Set<string>();
  const notes: string[] = [];
  for (const source of sources) {
    const spans = sentences(source.text).filter((s) => s.text.length >= 20);
    const scored = spans.map((span, index) => ({
      span,
      index,
      score: new Set(contentWords(span.text).filter((w) => wanted.has(w))).size,
    }));
    let picked = scored
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, perSource)
      .sort((a, b) => a.index - b.index);
    if (picked.length === 0) picked = scored.slice(0, 1);
    for (const { span } of picked) {
      const text = span.text.replace(/\s+/g, ' ');
      const sentence = text.length > NOTE_CHARS ? `${text.slice(0, NOTE_CHARS - 1).trimEnd()}…` : text;
      const key = sentence.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      notes.push(`- ${withMarker(sentence, source.n)}`);
    }
  }
  return notes;
}

/** "The chip ran at 700 MHz." → "The chip ran at 700 MHz [2]." (the marker inside the sentence). */
function withMarker(sentence: string, n: number): string {
  const end = /[.!?]["')\]]*$/.exec(sentence);
  if (!end) return `${sentence} [${n}]`;
  return `${sentence.slice(0, end.index)} [${n}]${sentence.slice(end.index)}`;
}
