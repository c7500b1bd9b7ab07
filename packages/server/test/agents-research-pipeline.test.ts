/**
 * The deep-research agent's research turn: plan → search → read → report (citations, thought summaries,
 * budgets per agent id, snippets without url_context, visualization, failures), and cancelling it while it
 * searches or while the report streams. Harness: `helpers/deep-research.ts`.
 */
import {
  InteractionsError,
  StreamAccumulator,
  type TextContent,
  type UrlCitation,
} from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { SearchBackend } from '../src/builtins/google-search/backend.ts';
import type { Provider } from '../src/providers/provider.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import {
  ofType,
  reportOf,
  research,
  SCRIPT,
  setup,
  site,
  types,
  useCorpusSite,
} from './helpers/deep-research.ts';

useCorpusSite();

// ---- helpers -------------------------------------------------------------------------------------

const bytes = (text: string, start: number, end: number) =>
  Buffer.from(text, 'utf8').subarray(start, end).toString('utf8');
const pageText = (url: string) => site.documents.find((d) => d.url === url)!.text;
/** `[n] title — url` lines of the report's sources list. */
function sourcesList(report: string): Map<number, string> {
  const list = report.slice(report.lastIndexOf('\n\nSources:\n'));
  return new Map([...list.matchAll(/^\[(\d+)\] .+ — (\S+)$/gm)].map((m) => [Number(m[1]), m[2]!]));
}

// ---- the research turn ---------------------------------------------------------------------------

describe('deep research: plan → search → read → report', () => {
  it('searches the plan, reads the best pages and writes a report whose citations point at what it read', async () => {
    const { engine, provider } = setup();
    const { outcome, events } = await research(engine, { text: 'Research TPU history' });
    expect(outcome.status).toBe('completed');

    // The steps, in order: three searches (the plan), their results, one read, the figure, the report.
    expect(types(outcome.output)).toEqual([
      'google_search_call',
      'google_search_call',
      'google_search_call',
      'google_search_result',
      'google_search_result',
      'google_search_result',
      'url_context_call',
      'url_context_result',
      'model_output',
      'model_output',
    ]);
    const searches = ofType(outcome.output, 'google_search_call');
    expect(searches.map((c) => c.arguments.queries)).toEqual([['TPU history'], ['TPU'], ['TPU timeline']]);
    for (const result of ofType(outcome.output, 'google_search_result'))
      expect(searches.map((c) => c.id)).toContain(result.call_id);

    // It read the pages it found (real HTTP fetches of the local corpus site), at most the pro budget of 5.
    const found = ofType(outcome.output, 'google_search_result').flatMap((r) =>
      (r.result as { url?: string }[]).flatMap((e) => (e.url ? [e.url] : [])),
    );
    const [read] = ofType(outcome.output, 'url_context_call');
    const urls = read!.arguments.urls!;
    expect(urls.length).toBe(5);
    for (const url of urls) expect(found).toContain(url);
    const pages = ofType(outcome.output, 'url_context_result')[0]!.result as {
      url: string;
      status: string;
    }[];
    expect(pages.map((p) => [p.url, p.status])).toEqual(urls.map((u) => [u, 'success']));
    expect(urls[0]).toBe(`${site.url}/techhistory.example/google-tpu/timeline`);
    expect(urls.every((u) => u.includes('/google-tpu/'))).toBe(true);

    // The provider planned, then wrote from the pages' full text (not only the snippets).
    const prompts = provider.requests.map((r) => (r.items.at(-1)!.content as TextContent[])[0]!.text);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toMatch(/^Plan web research for a report\.\nQuestion: Research TPU history\n/);
    expect(prompts[1]).toMatch(/^Write the research report\.\n/);
    for (const url of urls) expect(prompts[1]).toContain(pageText(url).slice(0, 300));
    expect(provider.requests[1]!.system_instruction).toMatch(/cite its source number/);

    // The report: the model's text, then the sources it cites.
    const report = reportOf(outcome);
    expect(report.text).toMatch(/^## Research TPU history\n\nKey findings:\n\n- /);
    const listed = sourcesList(report.text);
    expect([...listed.values()].sort()).toEqual([...urls].sort());

    // Every annotation: a url_citation of a page it read; its span is a sentence of that page, followed in
    // the report by the marker [n] that the sources list maps to the same url.
    const annotations = report.annotations as UrlCitation[];
    expect(annotations.length).toBeGreaterThanOrEqual(urls.length);
    for (const a of annotations) {
      expect(a.type).toBe('url_citation');
      expect(urls).toContain(a.url);
      const span = bytes(report.text, a.start_index!, a.end_index!);
      expect(span.length).toBeGreaterThan(20);
      expect(pageText(a.url!).replace(/\s+/g, ' ')).toContain(span.replace(/^- /, ''));
      const marker = /^\s*\[(\d+)\]/.exec(Buffer.from(report.text).subarray(a.end_index!).toString());
      expect(listed.get(Number(marker?.[1]))).toBe(a.url);
    }
    for (const url of urls) expect(annotations.map((a) => a.url)).toContain(url);

    // The stream rebuilds exactly the output (the report streamed in word deltas, annotations at the end).
    const acc = new StreamAccumulator();
    for (const e of events) acc.push(e);
    expect(acc.items).toEqual(outcome.output);
    const reportIndex = outcome.output.length - 1;
    const deltas = events.filter((e) => e.event_type === 'step.delta' && e.index === reportIndex);
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.at(-1)).toMatchObject({ delta: { type: 'text_annotation_delta' } });

    expect(outcome.usage.grounding_tool_count).toEqual([{ type: 'google_search', count: 3 }]);
    expect(outcome.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams a thought summary per phase with thinking_summaries auto, and none without', async () => {
    const { engine } = setup();
    const auto = await research(engine, {
      text: 'Research TPU history',
      config: { thinking_summaries: 'auto' },
    });
    expect(auto.outcome.status).toBe('completed');
    const thoughts = ofType(auto.outcome.output, 'thought');
    expect(thoughts.map((t) => /^\*\*(.+?)\*\*/.exec((t.summary as TextContent[])[0]!.text)?.[1])).toEqual([
      'Planning the research',
      'Searching the web',
      'Reading the sources',
      'Writing the report',
    ]);
    expect(types(auto.outcome.output).indexOf('thought')).toBe(0);
    // Each thought streams its summary as a thought_summary delta (Deep Research's progress events).
    const summaryDeltas = auto.events.filter(
      (e) => e.event_type === 'step.delta' && e.delta.type === 'thought_summary',
    );
    expect(summaryDeltas).toHaveLength(4);
    expect(summaryDeltas[1]).toMatchObject({
      delta: { content: { type: 'text', text: expect.stringContaining('"TPU timeline"') } },
    });
    const acc = new StreamAccumulator();
    for (const e of auto.events) acc.push(e);
    expect(acc.items).toEqual(auto.outcome.output);

    for (const config of [undefined, { thinking_summaries: 'none' }]) {
      const quiet = await research(engine, { text: 'Research TPU history', ...(config ? { config } : {}) });
      expect(quiet.outcome.status).toBe('completed');
      expect(types(quiet.outcome.output)).not.toContain('thought');
      expect(
        quiet.events.some((e) => e.event_type === 'step.delta' && e.delta.type === 'thought_summary'),
      ).toBe(false);
    }
  });

  it('follows the budget of each agent id', async () => {
    const { engine } = setup();
    const fast = await research(engine, {
      text: 'Research TPU history',
      agent: 'deep-research-preview-04-2026',
    });
    expect(ofType(fast.outcome.output, 'url_context_call')[0]!.arguments.urls).toHaveLength(4);
    const max = await research(engine, {
      text: 'Research TPU history',
      agent: 'deep-research-max-preview-04-2026',
    });
    // Max may read 8; the three scripted searches find 7 distinct pages, and it reads them all.
    expect(ofType(max.outcome.output, 'url_context_call')[0]!.arguments.urls).toHaveLength(7);
    const other = await research(engine, {
      text: 'Research TPU history',
      agent: 'deep-research-lab-01-2027',
    });
    expect(other.outcome.status).toBe('completed');
  });

  it('works from search snippets when url_context is not offered', async () => {
    const { engine, provider } = setup();
    const { outcome } = await research(engine, {
      text: 'Research the Euro 2024 final',
      request: { tools: [{ type: 'google_search' }] },
    });
    expect(outcome.status).toBe('completed');
    expect(types(outcome.output)).not.toContain('url_context_call');
    expect(provider.requests.at(-1)!.items.at(-1)!.content).toEqual([
      expect.objectContaining({ text: expect.stringContaining('(search snippet only)') }),
    ]);
    const report = reportOf(outcome);
    expect(report.text).toContain('Spain');
    expect((report.annotations as UrlCitation[])[0]!.url).toBe(
      `${site.url}/football-archive.example/euro-2024/final-report`,
    );
  });

  it('keeps an image the provider draws when visualization is auto, and drops it when off', async () => {
    const { engine } = setup();
    const auto = await research(engine, { text: 'Chart the TPU history', config: { visualization: 'auto' } });
    const content = auto.outcome.output.at(-1)!.content as { type: string }[];
    expect(content.map((c) => c.type)).toEqual(['text', 'image']);

    const off = await research(engine, { text: 'Chart the TPU history', config: { visualization: 'off' } });
    const plain = off.outcome.output.at(-1)!.content as { type: string }[];
    expect(plain.map((c) => c.type)).toEqual(['text']);
    expect(off.events.some((e) => e.event_type === 'step.delta' && e.delta.type === 'image')).toBe(false);
  });

  it('fails with the provider error, keeping the steps it ran', async () => {
    const scripted = createScriptedProvider({ script: SCRIPT });
    const failing: Provider = {
      name: 'failing-writer',
      async *generate(request, signal) {
        const prompt = JSON.stringify(request.items.at(-1));
        if (prompt.includes('Write the research report'))
          throw new InteractionsError('rate_limit_exceeded', 'slow down');
        yield* scripted.generate(request, signal);
      },
    };
    const { engine } = setup({ provider: failing });
    const { outcome } = await research(engine, { text: 'Research TPU history' });
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message: 'slow down' },
    });
    expect(types(outcome.output)).toContain('url_context_result');
    // The figure was drawn before the writing failed; no report.
    const outputs = ofType(outcome.output, 'model_output');
    expect(outputs.map((m) => (m.content ?? []).map((c) => c.type))).toEqual([['image']]);
  });

  it('fails model_not_found when no provider serves its model', async () => {
    const provider = createScriptedProvider({ script: SCRIPT, models: ['only-this-model'] });
    const { engine } = setup({ provider });
    const { outcome } = await research(engine, { text: 'Research TPU history' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_not_found' } });
  });
});

// ---- cancel ----------------------------------------------------------------------------------------

describe('cancel', () => {
  it('stops promptly while searching (even if the search backend ignores the signal)', async () => {
    const slow: SearchBackend = {
      search: () => new Promise((resolve) => setTimeout(() => resolve([]), 5_000)),
    };
    const { engine } = setup({ search: slow });
    const controller = new AbortController();
    let abortedAt = 0;
    let eventsAtAbort = 0;
    const started = Date.now();
    const run = research(engine, {
      text: 'Research TPU history',
      signal: controller.signal,
      onEvent: (e) => {
        if (!abortedAt && e.event_type === 'step.start' && e.step.type === 'google_search_call') {
          abortedAt = Date.now();
          controller.abort();
        }
        if (!abortedAt) eventsAtAbort += 1;
      },
    });
    const { outcome, events } = await run;
    expect(outcome.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(types(outcome.output).every((t) => t === 'google_search_call')).toBe(true);
    // After the abort, only the rest of the already-issued calls was written: no result, read or report.
    const after = events.slice(eventsAtAbort);
    expect(after.every((e) => e.event_type !== 'step.start' || e.step.type === 'google_search_call')).toBe(
      true,
    );
  });

  it('stops promptly while the report streams', async () => {
    const { engine } = setup({ delayMs: 30 });
    const controller = new AbortController();
    let textDeltas = 0;
    let afterAbort = 0;
    const { outcome } = await research(engine, {
      text: 'Research TPU history',
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event_type === 'step.delta' && e.delta.type === 'text') {
          if (controller.signal.aborted) afterAbort += 1;
          else if (++textDeltas === 3) controller.abort();
        }
      },
    });
    expect(outcome.status).toBe('cancelled');
    expect(afterAbort).toBe(0);
    const partial = reportOf(outcome);
    expect(partial.text.length).toBeGreaterThan(0);
    expect(partial.text).not.toContain('Sources:');
    expect(partial.annotations).toBeUndefined();
  });
});
