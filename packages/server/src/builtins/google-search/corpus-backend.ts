/**
 * The offline search backend: a JSONL corpus (`{"url","title","text"}` per line) indexed with MiniSearch —
 * fuzzy and prefix matching, title boosted. `interplay serve --search-corpus FILE.jsonl` loads one.
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { MAX_QUERY_CHARS, type SearchBackend, type SearchHit, type SearchOptions } from './backend.ts';
import { contentWords, isStopword, sentences } from './text-spans.ts';

export interface CorpusDocument {
  url: string;
  title: string;
  text: string;
}

const documentSchema = z.object({ url: z.url(), title: z.string().min(1), text: z.string().min(1) });

/** Parses JSONL; blank lines and `//` comment lines are skipped; an invalid line throws naming its number. */
export function parseCorpus(jsonl: string, source = 'corpus'): CorpusDocument[] {
  const documents: CorpusDocument[] = [];
  jsonl.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}:${i + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = documentSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${source}:${i + 1}: ${issue.path.join('.') || 'line'}: ${issue.message}`);
    }
    documents.push(parsed.data);
  });
  return documents;
}

export function loadCorpus(path: string): CorpusDocument[] {
  return parseCorpus(readFileSync(path, 'utf8'), path);
}

interface Indexed extends CorpusDocument {
  id: number;
}

/**
 * Bounds on one search, whatever the query: MiniSearch's fuzzy matching allocates a matrix of about n² bytes
 * for an n-character term (a 100,000-character word took 10 GB and 15 s), and every term costs a prefix and a
 * fuzzy walk of the index. Google, too, ignores the words of a query past the 32nd.
 */
const MAX_QUERY_TERMS = 32;
/** No word is longer; a longer "word" is cut (it still matches terms that start with it). */
const MAX_TERM_CHARS = 64;

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

export class CorpusSearch implements SearchBackend {
  private readonly index: MiniSearch<Indexed>;
  readonly size: number;
  /** The documents indexed, in corpus order. */
  readonly documents: readonly CorpusDocument[];

  constructor(documents: readonly CorpusDocument[]) {
    this.index = new MiniSearch<Indexed>({
      fields: ['title', 'text'],
      storeFields: ['url', 'title', 'text'],
      processTerm: (term) => (isStopword(term) ? null : term.toLowerCase()),
      searchOptions: {
        tokenize: (text) =>
          tokenize(text.slice(0, MAX_QUERY_CHARS))
            .filter((term) => term !== '' && !isStopword(term))
            .slice(0, MAX_QUERY_TERMS),
        processTerm: (term) => term.toLowerCase().slice(0, MAX_TERM_CHARS),
        boost: { title: 3 },
        fuzzy: 0.2,
        prefix: true,
        combineWith: 'OR',
        weights: { fuzzy: 0.3, prefix: 0.2 },
      },
    });
    this.index.addAll(documents.map((doc, id) => ({ ...doc, id })));
    this.size = documents.length;
    this.documents = documents;
  }

  static fromFile(path: string): CorpusSearch {
    return new CorpusSearch(loadCorpus(path));
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return this.index
      .search(query)
      .slice(0, options.limit)
      .map((hit) => ({
        url: hit.url as string,
        title: hit.title as string,
        snippet: snippet(hit.text as string, hit.terms),
        score: Math.round(hit.score * 1000) / 1000,
      }));
  }
}

/** The sentence (and its neighbour, if short) holding the most of the matched words, cut to ~300 characters. */
export function snippet(text: string, matched: readonly string[], maxChars = 300): string {
  const wanted = new Set(matched.map((t) => t.toLowerCase()));
  const parts = sentences(text);
  if (parts.length === 0) return text.slice(0, maxChars);
  let best = 0;
  let bestScore = -1;
  parts.forEach((part, i) => {
    const score = new Set(contentWords(part.text).filter((w) => wanted.has(w))).size;
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  let passage = parts[best]!.text;
  const next = parts[best + 1];
  if (next && passage.length + next.text.length < maxChars)
    passage = text.slice(parts[best]!.start, next.end);
  return passage.length > maxChars ? `${passage.slice(0, maxChars - 1).trimEnd()}…` : passage;
}
