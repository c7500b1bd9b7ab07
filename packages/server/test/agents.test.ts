/**
 * The deep-research agent at the engine level, on the real scripted provider (with the agent's offline rules)
 * and the real google_search (corpus backend) and url_context tools — url_context reading the corpus's pages
 * from a real HTTP server on 127.0.0.1.
 */
import { fileURLToPath } from 'node:url';
import {
  type CanonicalRequest,
  InteractionsError,
  type Item,
  StreamAccumulator,
  type TextContent,
  type UrlCitation,
} from '@interplay/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CorpusSite,
  createAgentRegistry,
  DEEP_RESEARCH_RULES,
  parsePlan,
  startCorpusSite,
  validateAgentRequest,
} from '../src/agents/index.ts';
import type { SearchBackend } from '../src/builtins/google-search/backend.ts';
import { CorpusSearch, loadCorpus } from '../src/builtins/google-search/corpus-backend.ts';
import { googleSearchTool } from '../src/builtins/google-search/tool.ts';
import { urlContextTool } from '../src/builtins/url-context/tool.ts';
import type { EngineEvent, TurnOutcome } from '../src/engine/contract.ts';
import { createEngine, type EngineOptions } from '../src/engine/engine.ts';
import type { Provider, ProviderRequest } from '../src/providers/provider.ts';
import { DEFAULT_SCRIPT } from '../src/providers/scripted/default-script.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';

const CORPUS = fileURLToPath(new URL('../assets/search-corpus.jsonl', import.meta.url));
const SCRIPT = { rules: [...DEEP_RESEARCH_RULES, ...DEFAULT_SCRIPT.rules] };
const PRO = 'deep-research-pro-preview-12-2025';

let site: CorpusSite;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  site = await startCorpusSite(loadCorpus(CORPUS));
});
afterAll(async () => {
  await site?.close();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

// ---- helpers -------------------------------------------------------------------------------------

const userInput = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });

/** Wraps a provider, keeping a copy of every request it got. */
function recording(inner: Provider): Provider & { requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  return {
    name: inner.name,
    ...(inner.supportsModel ? { supportsModel: (id: string) => inner.supportsModel!(id) } : {}),
    requests,
    generate(request, signal) {
      requests.push(structuredClone(request));
      return inner.generate(request, signal);
    },
  };
}

interface Setup {
  search?: SearchBackend;
  delayMs?: number;
  provider?: Provider;
  engine?: Partial<EngineOptions>;
}

function setup(options: Setup = {}) {
  const url = urlContextTool({ allowHosts: ['127.0.0.1'] });
  closers.push(() => url.close());
  const backend = options.search ?? new CorpusSearch(site.documents);
  const provider = recording(
    options.provider ??
      createScriptedProvider({ script: SCRIPT, ...(options.delayMs ? { delayMs: options.delayMs } : {}) }),
  );
  const engine = createEngine({
    providers: [provider],
    tools: createServerToolRegistry([googleSearchTool({ backend }), url]),
    ...options.engine,
  });
  return { engine, provider };
}

interface Turn {
  text: string;
  agent?: string;
  config?: Record<string, unknown>;
  request?: Partial<CanonicalRequest>;
  history?: Item[];
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

async function research(engine: ReturnType<typeof setup>['engine'], turn: Turn) {
  const events: EngineEvent[] = [];
  const request: CanonicalRequest = {
    agent: turn.agent ?? PRO,
    background: true,
    input: [userInput(turn.text)],
    ...(turn.config ? { agent_config: { type: 'deep-research', ...turn.config } } : {}),
    ...turn.request,
  } as CanonicalRequest;
  const outcome: TurnOutcome = await engine.runTurn(
    {
      interactionId: 'int_research',
      request,
      history: async () => turn.history ?? [],
      signal: turn.signal ?? new AbortController().signal,
    },
    {
      emit(event) {
        events.push(structuredClone(event));
        turn.onEvent?.(event);
      },
    },
  );
  return { outcome, events, request };
}

const types = (items: Item[]) => items.map((i) => i.type);
const ofType = <T extends Item['type']>(items: Item[], type: T) =>
  items.filter((i): i is Extract<Item, { type: T }> => i.type === type);
const reportOf = (outcome: TurnOutcome): TextContent => {
  const last = outcome.output.at(-1)!;
  expect(last.type).toBe('model_output');
  const first = (last.content as TextContent[])[0]!;
  expect(first.type).toBe('text');
  return first;
};
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

// ---- collaborative planning ----------------------------------------------------------------------

describe('collaborative planning', () => {
  it('plans, refines with feedback, then runs the approved plan in a follow-up turn', async () => {
    const { engine } = setup();
    // Turn 1: the plan only.
    const one = await research(engine, {
      text: 'Research TPU history',
      config: { collaborative_planning: true },
    });
    expect(one.outcome.status).toBe('completed');
    expect(types(one.outcome.output)).toEqual(['model_output']);
    const plan1 = parsePlan(reportOf(one.outcome).text);
    expect(plan1).toEqual({
      question: 'Research TPU history',
      queries: ['TPU history', 'TPU', 'TPU timeline'],
    });

    // Turn 2 (previous_interaction_id = turn 1; planning still on): the plan revised with the feedback.
    const history2 = [...one.request.input, ...one.outcome.output];
    const two = await research(engine, {
      text: 'Focus on Ironwood.',
      config: { collaborative_planning: true },
      history: history2,
    });
    expect(types(two.outcome.output)).toEqual(['model_output']);
    const plan2 = parsePlan(reportOf(two.outcome).text)!;
    expect(plan2.question).toBe('Research TPU history');
    expect(plan2.queries).toEqual(['Ironwood', 'TPU history', 'TPU', 'TPU timeline']);

    // Turn 3 (planning off): approved — it runs plan 2 as is, for the original question.
    const three = await research(engine, {
      text: 'Looks good, go ahead.',
      history: [...history2, ...two.request.input, ...two.outcome.output],
    });
    expect(three.outcome.status).toBe('completed');
    const queries = ofType(three.outcome.output, 'google_search_call').map((c) => c.arguments.queries![0]);
    expect(queries).toEqual(plan2.queries);
    const report = reportOf(three.outcome);
    expect(report.text).toMatch(/^## Research TPU history\n/);
    expect(ofType(three.outcome.output, 'url_context_call')[0]!.arguments.urls).toContain(
      `${site.url}/techhistory.example/google-tpu/ironwood`,
    );
  });

  it('starts a new plan when the history holds no plan', async () => {
    const { engine } = setup();
    const { outcome } = await research(engine, {
      text: 'Research quantum entanglement',
      config: { collaborative_planning: true },
      history: [userInput('hello'), { type: 'model_output', content: [{ type: 'text', text: 'Hi!' }] }],
    });
    expect(parsePlan(reportOf(outcome).text)?.question).toBe('Research quantum entanglement');
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

// ---- validation and routing ----------------------------------------------------------------------

describe('validation', () => {
  const base = (extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
    agent: PRO,
    background: true,
    input: [userInput('Research TPU history')],
    ...extra,
  });
  const problem = (request: CanonicalRequest) => {
    const error = validateAgentRequest(request);
    return error && { code: error.code, status: error.status, field: error.field, message: error.message };
  };

  it('accepts a proper request, and leaves models and unknown agents alone', () => {
    expect(problem(base())).toBeUndefined();
    expect(
      problem(base({ agent_config: { type: 'deep-research', thinking_summaries: 'auto' } })),
    ).toBeUndefined();
    expect(
      problem(
        base({ tools: [{ type: 'google_search' }, { type: 'mcp_server', name: 'x', url: 'http://x' }] }),
      ),
    ).toBeUndefined();
    expect(problem({ model: 'gemini-3-flash-preview', input: [userInput('hi')] })).toBeUndefined();
    expect(problem({ agent: 'some-other-agent', input: [userInput('hi')] })).toBeUndefined();
  });

  it('requires background: true (400 invalid_request naming background)', () => {
    for (const background of [undefined, false]) {
      const p = problem(base({ background }));
      expect(p).toMatchObject({ code: 'invalid_request', status: 400, field: 'background' });
      expect(p!.message).toContain("'background'");
    }
    expect(problem(base({ store: false }))).toMatchObject({ field: 'store' });
  });

  it('refuses system_instruction, function tools, structured output and another agent_config', () => {
    expect(problem(base({ system_instruction: 'Be brief.' }))).toMatchObject({
      code: 'invalid_request',
      field: 'system_instruction',
      message: expect.stringContaining("'system_instruction'"),
    });
    expect(
      problem(base({ tools: [{ type: 'google_search' }, { type: 'function', name: 'f', parameters: {} }] })),
    ).toMatchObject({ field: 'tools[1]', message: expect.stringContaining("'tools[1]'") });
    expect(problem(base({ output_format: { schema: { type: 'object' } } }))).toMatchObject({
      field: 'response_format',
    });
    expect(problem(base({ agent_config: { type: 'dynamic' } }))).toMatchObject({
      field: 'agent_config.type',
    });
    expect(
      problem(base({ agent_config: { type: 'deep-research', visualization: 'sometimes' as 'auto' } })),
    ).toMatchObject({ field: 'agent_config.visualization' });
    expect(problem(base({ input: [{ type: 'user_input', content: [] }] }))).toMatchObject({ field: 'input' });
  });

  it('the engine refuses an invalid request before calling anything', async () => {
    const { engine, provider } = setup();
    const { outcome, events } = await research(engine, {
      text: 'Research TPU history',
      request: { background: false },
    });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'invalid_request' } });
    expect((outcome as { error: { message: string } }).error.message).toContain("'background'");
    expect(provider.requests).toHaveLength(0);
    expect(events).toHaveLength(0);
  });
});

describe('the agent registry', () => {
  it('serves the published ids and deep-research-*; exact names win over patterns', async () => {
    const agents = createAgentRegistry();
    const dr = agents.resolve(PRO);
    expect(dr?.name).toBe('deep-research');
    expect(agents.resolve('deep-research-preview-04-2026')).toBe(dr);
    expect(agents.resolve('deep-research-max-preview-04-2026')).toBe(dr);
    expect(agents.resolve('deep-research-anything')).toBe(dr);
    expect(agents.resolve('my-deep-research-x')).toBeUndefined();
    const custom = {
      name: 'custom',
      run: async () => ({ status: 'completed' as const, output: [], usage: {} }),
    };
    agents.register('deep-research-custom', custom);
    expect(agents.resolve('deep-research-custom')).toBe(custom);
    expect(() => agents.register('deep-research-*', custom)).toThrow(/already registered/);
    expect(createAgentRegistry({ deepResearch: false }).names()).toEqual([]);
  });

  it('an agent id no agent serves goes to the providers like a model id', async () => {
    const { engine } = setup();
    const { outcome } = await research(engine, { text: 'hello', agent: 'antigravity-preview-05-2026' });
    expect(outcome.status).toBe('completed');
    expect(JSON.stringify(outcome.output)).toContain('Hello! I am the Interplay scripted model.');
  });

  it('a custom registry replaces the built-in agents', async () => {
    const agents = createAgentRegistry({ deepResearch: false });
    agents.register('echo-*', {
      name: 'echo',
      async run({ request, writer }) {
        writer.text(`echo: ${(request.input[0]!.content as TextContent[])[0]!.text}`);
        writer.close();
        return { status: 'completed', output: writer.output, usage: {} };
      },
    });
    const { engine } = setup({ engine: { agents } });
    const echo = await research(engine, { text: 'ping', agent: 'echo-1' });
    expect(reportOf(echo.outcome).text).toBe('echo: ping');
  });
});

// ---- chaining a model step after the agent ---------------------------------------------------------

describe('a model interaction chained after the research', () => {
  it('gets the report from the history (previous_interaction_id), not from its own input', async () => {
    const { engine, provider } = setup();
    const first = await research(engine, { text: 'Research TPU history' });
    const report = reportOf(first.outcome).text;

    // The runtime's history for previous_interaction_id = the research: its input and output items.
    const history = [...first.request.input, ...first.outcome.output];
    let loads = 0;
    const summaryRequest: CanonicalRequest = {
      model: 'gemini-3-flash-preview',
      previous_interaction_id: 'int_research',
      input: [userInput('Summarize the report in 5 bullets.')],
    };
    const events: EngineEvent[] = [];
    provider.requests.length = 0;
    const summary = await engine.runTurn(
      {
        interactionId: 'int_summary',
        request: summaryRequest,
        history: async () => {
          loads += 1;
          return history;
        },
        signal: new AbortController().signal,
      },
      { emit: (e) => events.push(e) },
    );
    expect(summary.status).toBe('completed');
    expect(loads).toBe(1);
    // The model saw the report by reference (history), and the request itself did not carry it.
    const seen = provider.requests[0]!;
    expect(seen.model).toBe('gemini-3-flash-preview');
    expect(
      seen.items.some((i) => i.type === 'model_output' && JSON.stringify(i).includes('Key findings')),
    ).toBe(true);
    expect(JSON.stringify(summaryRequest.input)).not.toContain('Key findings');
    // The offline model summarizes the report as its first five findings.
    const text = reportOf(summary).text;
    expect(text.startsWith('Summary of the research report:\n- ')).toBe(true);
    const bullets = text.split('\n').slice(1);
    expect(bullets).toHaveLength(5);
    for (const bullet of bullets) expect(report).toContain(bullet);
  });
});
