/** google_search: the offline corpus backend, the ServerTool, and `url_citation` spans. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { urlCitations } from '../src/builtins/google-search/citations.ts';
import {
  CorpusSearch,
  loadCorpus,
  parseCorpus,
  snippet,
} from '../src/builtins/google-search/corpus-backend.ts';
import { citationSources } from '../src/builtins/google-search/sources.ts';
import { googleSearchTool } from '../src/builtins/google-search/tool.ts';
import { builtinResultText } from '../src/builtins/render.ts';

const CORPUS = fileURLToPath(new URL('../assets/search-corpus.jsonl', import.meta.url));
const search = CorpusSearch.fromFile(CORPUS);
const ctx = () => ({
  declaration: { type: 'google_search' as const },
  signal: new AbortController().signal,
  interactionId: 'i1',
});
const urls = async (query: string, limit = 3) =>
  (await search.search(query, { limit })).map((hit) => hit.url);

describe('the corpus', () => {
  it('ships at least 20 valid documents on the demo topics', () => {
    const docs = loadCorpus(CORPUS);
    expect(docs.length).toBeGreaterThanOrEqual(20);
    const text = docs.map((d) => `${d.title} ${d.text}`).join('\n');
    for (const topic of ['TPU', 'Euro 2024', 'Super Bowl', 'entangle', '2015', '2026'])
      expect(text).toContain(topic);
  });

  it('rejects a bad line, naming it', () => {
    expect(() =>
      parseCorpus('{"url":"https://a.example/","title":"A","text":"x"}\n{"title":"B"}', 'c.jsonl'),
    ).toThrow(/^c\.jsonl:2: url: /);
    expect(() => parseCorpus('not json', 'c.jsonl')).toThrow(/^c\.jsonl:1: not JSON/);
    expect(parseCorpus('\n// a comment\n{"url":"https://a.example/","title":"A","text":"x"}\n')).toHaveLength(
      1,
    );
  });
});

describe('searching the corpus', () => {
  it('ranks the match report first for the Euro 2024 final', async () => {
    const hits = await search.search('who won the Euro 2024 final', { limit: 3 });
    expect(hits[0]!.url).toBe('https://football-archive.example/euro-2024/final-report');
    expect(hits[0]!.snippet).toContain('Spain won the Euro 2024 final 2–1 against England');
    expect(hits.every((h) => h.url.includes('/euro-2024/'))).toBe(true);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('finds the right TPU generation', async () => {
    expect((await urls('Ironwood TPU pod chips'))[0]).toBe('https://techhistory.example/google-tpu/ironwood');
    expect((await urls('first TPU announced'))[0]).toBe(
      'https://techhistory.example/google-tpu/first-generation',
    );
    expect((await urls('TPU history timeline'))[0]).toBe('https://techhistory.example/google-tpu/timeline');
    expect((await urls('Trillium'))[0]).toBe('https://techhistory.example/google-tpu/trillium');
  });

  it('finds Super Bowl and physics documents', async () => {
    expect((await urls('Super Bowl LIX'))[0]).toBe('https://gridiron.example/super-bowl/lix');
    expect((await urls('quantum entanglement Nobel prize'))[0]).toBe(
      'https://physics-notes.example/quantum/bell-tests-and-nobel-2022',
    );
  });

  it('tolerates typos and prefixes', async () => {
    expect((await urls('entanglment'))[0]).toBe('https://physics-notes.example/quantum/entanglement-basics');
    expect((await urls('teleport'))[0]).toBe(
      'https://physics-notes.example/quantum/teleportation-and-communication',
    );
  });

  it('honours the limit and finds nothing for unrelated words', async () => {
    expect(await search.search('TPU', { limit: 2 })).toHaveLength(2);
    expect(await search.search('zzzqqq', { limit: 5 })).toEqual([]);
  });

  it('builds snippets around the matched words', () => {
    const text = 'Alpha beta. The TPU was announced in 2016 at Google I/O. Gamma delta.';
    expect(snippet(text, ['tpu', 'announced'])).toBe(
      'The TPU was announced in 2016 at Google I/O. Gamma delta.',
    );
  });
});

describe('the google_search ServerTool', () => {
  it('serves google_search_call → google_search_result with hits and search suggestions', async () => {
    const tool = googleSearchTool({ backend: search, resultsPerQuery: 2 });
    expect(tool.toolType).toBe('google_search');
    expect(tool.callType).toBe('google_search_call');
    const call = {
      type: 'google_search_call' as const,
      id: 's1',
      arguments: { queries: ['Euro 2024 final', 'Ironwood TPU <pod>'] },
    };
    const result = await tool.execute(call, ctx());
    expect(result).toMatchObject({ type: 'google_search_result', call_id: 's1' });
    const entries = result.result as Record<string, string>[];
    expect(entries[1]).toMatchObject({
      url: 'https://football-archive.example/euro-2024/final-report',
      title: 'Euro 2024 final: Spain 2–1 England in Berlin',
      query: 'Euro 2024 final',
    });
    expect(entries.filter((e) => e.url)).toHaveLength(4);
    expect(entries[0]!.search_suggestions).toBe(
      '<div class="search-suggestions"><span class="chip">Euro 2024 final</span><span class="chip">Ironwood TPU &#60;pod&#62;</span></div>',
    );
    const text = builtinResultText(result)!;
    expect(text).toMatch(/^\[1\] Euro 2024 final: Spain 2–1 England in Berlin\nhttps:\/\/football-archive/);
  });

  it('lists a page found by two queries once', async () => {
    const tool = googleSearchTool({ backend: search, resultsPerQuery: 1 });
    const call = {
      type: 'google_search_call' as const,
      id: 's2',
      arguments: { queries: ['Trillium', 'Trillium TPU'] },
    };
    const entries = (await tool.execute(call, ctx())).result as { url?: string }[];
    expect(entries.filter((e) => e.url)).toHaveLength(1);
  });

  it('is_error without queries, or without a backend', async () => {
    const none = await googleSearchTool({ backend: search }).execute(
      { type: 'google_search_call', id: 's3', arguments: {} },
      ctx(),
    );
    expect(none).toMatchObject({ is_error: true, result: [] });
    const noBackend = await googleSearchTool().execute(
      { type: 'google_search_call', id: 's4', arguments: { queries: ['x'] } },
      ctx(),
    );
    expect(noBackend).toMatchObject({ is_error: true });
    expect(noBackend.error_message).toContain('--search-corpus');
  });
});

describe('url_citation annotations', () => {
  const bytes = (text: string, start: number, end: number) =>
    Buffer.from(text).subarray(start, end).toString();

  it('turns [n] markers into spans over the claim, in UTF-8 bytes', () => {
    const answer =
      'Spain won the Euro 2024 final 2–1 against England in Berlin [1]. Lamine Yamal was named young player of the tournament.[2] The weather was pleasant.';
    const sources = [
      { url: 'https://football-archive.example/euro-2024/final-report', title: 'Final report' },
      { url: 'https://football-archive.example/euro-2024/awards-and-records', title: 'Awards' },
    ];
    const citations = urlCitations(answer, sources);
    expect(citations).toHaveLength(2);
    expect(citations[0]).toMatchObject({ type: 'url_citation', url: sources[0]!.url, title: 'Final report' });
    expect(bytes(answer, citations[0]!.start_index!, citations[0]!.end_index!)).toBe(
      'Spain won the Euro 2024 final 2–1 against England in Berlin',
    );
    expect(citations[1]!.url).toBe(sources[1]!.url);
    expect(bytes(answer, citations[1]!.start_index!, citations[1]!.end_index!)).toBe(
      'Lamine Yamal was named young player of the tournament.',
    );
    // The en dash takes 3 bytes: byte offsets after it differ from string indexes.
    const chars = urlCitations(answer, sources, { unit: 'chars' });
    expect(answer.slice(chars[1]!.start_index, chars[1]!.end_index)).toBe(
      'Lamine Yamal was named young player of the tournament.',
    );
    expect(citations[1]!.start_index).toBe(chars[1]!.start_index! + 2);
  });

  it('attributes unmarked sentences by word overlap with the search results', async () => {
    const tool = googleSearchTool({ backend: search, resultsPerQuery: 3 });
    const result = await tool.execute(
      { type: 'google_search_call', id: 's5', arguments: { queries: ['Ironwood TPU', 'Super Bowl LIX'] } },
      ctx(),
    );
    const sources = citationSources(result);
    const answer =
      'Ironwood is the seventh-generation TPU, unveiled at Google Cloud Next in April 2025. The Philadelphia Eagles defeated the Kansas City Chiefs 40–22 in Super Bowl LIX. I hope this helps!';
    const citations = urlCitations(answer, sources);
    expect(citations.map((c) => c.url)).toEqual([
      'https://techhistory.example/google-tpu/ironwood',
      'https://gridiron.example/super-bowl/lix',
    ]);
    expect(bytes(answer, citations[0]!.start_index!, citations[0]!.end_index!)).toBe(
      'Ironwood is the seventh-generation TPU, unveiled at Google Cloud Next in April 2025.',
    );
    expect(bytes(answer, citations[1]!.start_index!, citations[1]!.end_index!)).toBe(
      'The Philadelphia Eagles defeated the Kansas City Chiefs 40–22 in Super Bowl LIX.',
    );
  });

  it('cites several sources for one sentence, and ignores out-of-range markers', () => {
    const answer = 'TPUs started in 2015 and reached a seventh generation in 2025 [1, 2][7].';
    const citations = urlCitations(answer, [{ url: 'https://a.example/' }, { url: 'https://b.example/' }]);
    expect(citations.map((c) => c.url)).toEqual(['https://a.example/', 'https://b.example/']);
    expect(bytes(answer, citations[0]!.start_index!, citations[0]!.end_index!)).toBe(
      'TPUs started in 2015 and reached a seventh generation in 2025',
    );
  });

  it('collects sources from search results and successfully read pages, in order', () => {
    const sources = citationSources([
      {
        type: 'google_search_result',
        call_id: 'a',
        result: [
          { url: 'https://s.example/', title: 'S', snippet: 'snip' },
          { search_suggestions: '<div/>' },
        ],
      },
      {
        type: 'url_context_result',
        call_id: 'b',
        result: [
          { url: 'https://p.example/', status: 'success', title: 'P', text: 'page' },
          { url: 'https://q.example/', status: 'error' },
        ],
      },
    ]);
    expect(sources).toEqual([
      { url: 'https://s.example/', title: 'S', text: 'snip' },
      { url: 'https://p.example/', title: 'P', text: 'page' },
    ]);
  });
});
