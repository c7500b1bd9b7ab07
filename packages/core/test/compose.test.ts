/**
 * Composition of agent and model steps against the REAL Interactions server over HTTP (127.0.0.1, in-memory
 * SQLite): the deep-research agent on the scripted model with the real google_search (a corpus) and
 * url_context (reading the corpus's pages from a local site) tools.
 */
import { fileURLToPath } from 'node:url';
import { InteractionsClient } from '@interplay/client';
import type { Revision, TextContent } from '@interplay/protocol';
import { createInteractionsServer, type InteractionsServer } from '@interplay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
// The server's agent rules, corpus site and search backend are not part of its public index (yet).
import { type CorpusSite, DEEP_RESEARCH_RULES, startCorpusSite } from '../../server/src/agents/index.ts';
import type { SearchBackend } from '../../server/src/builtins/google-search/backend.ts';
import { CorpusSearch, loadCorpus } from '../../server/src/builtins/google-search/corpus-backend.ts';
import { DEFAULT_SCRIPT } from '../../server/src/providers/scripted/default-script.ts';
import {
  type AnyInteractionsClient,
  agentStep,
  chain,
  clientBackend,
  FLOW_HANDLE_VERSION,
  FlowDefinitionError,
  type FlowEvent,
  FlowHandle,
  FlowResumeError,
  flow,
  type InteractionsBackend,
  modelStep,
  parallel,
  type SavedFlow,
  tool,
} from '../src/index.ts';

const CORPUS = fileURLToPath(new URL('../../server/assets/search-corpus.jsonl', import.meta.url));
const DR = 'deep-research-pro-preview-12-2025';
const FAST_DR = 'deep-research-preview-04-2026';
const FLASH = 'gemini-3-flash-preview';

let site: CorpusSite;
let server: InteractionsServer;
let url: string;
/** Every search waits this long, so a research run stays in progress while a test saves, detaches or cancels. */
const LATENCY_MS = 100;
let searchLatencyMs = LATENCY_MS;
async function withLatency(ms: number, body: () => Promise<void>): Promise<void> {
  searchLatencyMs = ms;
  try {
    await body();
  } finally {
    searchLatencyMs = LATENCY_MS;
  }
}

beforeAll(async () => {
  site = await startCorpusSite(loadCorpus(CORPUS));
  const corpus = new CorpusSearch(site.documents);
  const slow: SearchBackend = {
    async search(query, options) {
      await new Promise((resolve) => setTimeout(resolve, searchLatencyMs));
      return corpus.search(query, options);
    },
  };
  server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    script: { rules: [...DEEP_RESEARCH_RULES, ...DEFAULT_SCRIPT.rules] },
    builtins: { searchBackend: slow, allowHosts: ['127.0.0.1'], disable: ['code_execution'] },
    shutdownGraceMs: 50,
  });
  ({ url } = await server.listen());
});
afterAll(async () => {
  await server?.close();
  await site?.close();
});

function client(revision: Revision = 'steps'): AnyInteractionsClient {
  const options = { baseUrl: url, apiVersion: 'v1beta' as const, maxRetries: 0, timeoutMs: 20_000 };
  return revision === 'legacy'
    ? new InteractionsClient({ ...options, revision: 'legacy' })
    : new InteractionsClient({ ...options, revision: 'steps' });
}
const store = () => server.store!;
const textOfInput = (input: unknown) => JSON.stringify(input);
const research = (name = 'research', agent = DR) =>
  agentStep({ name, agent, input: (ctx) => ctx.input, agentConfig: { thinking_summaries: 'auto' } });
const summarize = () =>
  modelStep({ name: 'summarize', model: FLASH, input: 'Summarize the report in 5 bullets.' });

/** Seq of each event id in an interaction's stored log. */
async function seqOf(interactionId: string): Promise<Map<string, number>> {
  return new Map((await store().listEvents(interactionId)).map((e) => [e.eventId, e.seq]));
}
const cursorsOf = (events: FlowEvent[], step: string) =>
  events.flatMap((e) =>
    'step' in e && e.step === step && 'cursor' in e && e.cursor ? [e.cursor.eventId] : [],
  );

// ---- chain: research → summarize ------------------------------------------------------------------

describe.each(['steps', 'legacy'] as const)(
  'chain(research, summarize) over HTTP, %s revision',
  (revision) => {
    it('hands the report over by previous_interaction_id, never re-sending it', async () => {
      const events: FlowEvent[] = [];
      const handle = await chain(research(), summarize()).start(client(revision), 'Research TPU history', {
        onProgress: (e) => events.push(e),
      });
      // Right after start the research interaction exists and the handle can already be saved.
      const early = handle.toJSON();
      expect(early.current).toEqual(['research']);
      expect(early.steps[0]!.interactionId).toMatch(/\S/);

      const result = await handle.result();
      expect(result.status).toBe('completed');
      const { research: r, summarize: s } = result.steps;
      expect(r!.status).toBe('completed');
      expect(r!.text).toMatch(/^## Research TPU history\n\nKey findings:/);
      expect(s!.status).toBe('completed');
      expect(s!.previousInteractionId).toBe(r!.interactionId);
      expect(result.interactionId).toBe(s!.interactionId);
      expect(result.text).toMatch(/^Summary of the research report:\n- /);
      for (const bullet of result.text.split('\n').slice(1)) expect(r!.text).toContain(bullet);

      // What the server received and stored: the summarize request continues the research and carries
      // only its own instruction; the report reached the model through the stored chain.
      const stored = (await store().getInteraction(s!.interactionId!, null))!;
      expect(stored.previousId).toBe(r!.interactionId);
      expect(stored.request.previous_interaction_id).toBe(r!.interactionId);
      expect(textOfInput(stored.request.input)).toContain('Summarize the report in 5 bullets.');
      expect(textOfInput(stored.request.input)).not.toContain('Key findings');
      const history = await store().loadHistory(s!.interactionId!);
      expect(history.filter((item) => JSON.stringify(item).includes('Key findings:')).length).toBe(1);
      const got = await client(revision).get(s!.interactionId!, { includeInput: true });
      expect(JSON.stringify(got.interaction.input)).not.toContain('Key findings');
      // The research really was an agent run in the background.
      const agentRecord = (await store().getInteraction(r!.interactionId!, null))!;
      expect(agentRecord.agent).toBe(DR);
      expect(agentRecord.background).toBe(true);

      // Progress: steps, thought summaries, tool steps, text deltas — with cursors for server events.
      const kinds = new Set(events.map((e) => e.type));
      for (const k of [
        'flow_start',
        'step_start',
        'status',
        'thought_summary',
        'tool_call',
        'tool_result',
        'text_delta',
        'step_finish',
        'flow_finish',
      ])
        expect(kinds).toContain(k);
      const calls = events.filter((e) => e.type === 'tool_call' && e.step === 'research');
      expect(calls.map((c) => (c as { callType: string }).callType)).toEqual([
        'google_search_call',
        'google_search_call',
        'google_search_call',
        'url_context_call',
      ]);
      const text = events
        .filter((e) => e.type === 'text_delta' && e.step === 'research')
        .map((e) => (e as { delta: string }).delta)
        .join('');
      expect(text).toBe(r!.text);
      // Cursors are the server's event ids (legacy ids are `evt_<seq>_<k>`: the k-th legacy event of one).
      const cursors = cursorsOf(events, 'research');
      const seq = await seqOf(r!.interactionId!);
      expect(cursors.length).toBeGreaterThan(10);
      for (const id of cursors) expect(seq.has(id.replace(/^(evt_\d+)_\d+$/, '$1'))).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: 'flow_finish', status: 'completed' });
    });
  },
);

// ---- durable handles ------------------------------------------------------------------------------

describe('a handle saved mid-research', () => {
  it('resumes in a new process (new client) from the stream cursor, repeating no progress event', () =>
    withLatency(1_500, async () => {
      const first: FlowEvent[] = [];
      const handle = await chain(research(), summarize()).start(client(), 'Research TPU history', {
        onProgress: (e) => first.push(e),
      });
      let saved: string | undefined;
      handle.on('tool_call', () => {
        if (saved) return;
        saved = JSON.stringify(handle); // as if written to a database …
        handle.detach(); // … and the process exited
      });
      expect((await handle.result()).status).toBe('detached');
      const record: SavedFlow = JSON.parse(saved!);
      expect(record).toMatchObject({
        type: 'interplay.flow',
        version: FLOW_HANDLE_VERSION,
        current: ['research'],
      });
      const researchId = record.steps[0]!.interactionId!;
      expect(record.steps[0]).toMatchObject({
        name: 'research',
        status: 'running',
        cursor: expect.any(String),
      });
      expect(record.steps[1]).toMatchObject({ name: 'summarize', status: 'pending' });
      // The research goes on on the server meanwhile.
      expect((await client().get(researchId)).interaction.status).toBe('in_progress');

      const second: FlowEvent[] = [];
      const resumed = FlowHandle.fromJSON(saved!, client(), { onProgress: (e) => second.push(e) });
      expect(resumed.flowId).toBe(record.flowId);
      const result = await resumed.result();
      expect(result.status).toBe('completed');
      expect(result.steps.research!.interactionId).toBe(researchId);
      expect(result.steps.summarize!.previousInteractionId).toBe(researchId);
      expect(result.text).toMatch(/^Summary of the research report:/);
      expect(second[0]).toMatchObject({ type: 'flow_start', resumed: true });
      expect(second[1]).toMatchObject({
        type: 'step_start',
        step: 'research',
        resumed: true,
        interactionId: researchId,
      });

      // No progress event twice: the first handle's cursors are at or before the saved one, the second's after.
      const seq = await seqOf(researchId);
      const savedSeq = seq.get(record.steps[0]!.cursor!)!;
      const before = cursorsOf(first, 'research');
      const after = cursorsOf(second, 'research');
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      expect(before.every((id) => seq.get(id)! <= savedSeq)).toBe(true);
      expect(after.every((id) => seq.get(id)! > savedSeq)).toBe(true);
      // Together they saw each tool step and thought summary of the research exactly once.
      const output = (await client().get(researchId)).interaction.output;
      const both = [...first, ...second];
      const callIds = both.flatMap((e) => (e.type === 'tool_call' && e.step === 'research' ? [e.id] : []));
      expect(callIds.sort()).toEqual(
        output.flatMap((i) => (i.type.endsWith('_call') ? [String(i.id)] : [])).sort(),
      );
      const resultIds = both.flatMap((e) =>
        e.type === 'tool_result' && e.step === 'research' ? [e.callId] : [],
      );
      expect(resultIds.sort()).toEqual(callIds.slice().sort());
      const thoughts = both.filter((e) => e.type === 'thought_summary' && e.step === 'research');
      expect(thoughts).toHaveLength(output.filter((i) => i.type === 'thought').length);
      expect(new Set(thoughts.map((t) => (t as { text: string }).text)).size).toBe(thoughts.length);
      const report = (output.at(-1)!.content as TextContent[])[0]!.text;
      const resumedText = second
        .filter((e) => e.type === 'text_delta' && e.step === 'research')
        .map((e) => (e as { delta: string }).delta)
        .join('');
      expect(resumedText).toBe(report);
    }));

  it('needs the flow back when a step still to run computes its input with a function', async () => {
    const summarizeFn = modelStep({
      name: 'summarize',
      model: FLASH,
      input: (ctx) => `Summarize ${ctx.previous?.name}.`,
    });
    const f = chain(research(), summarizeFn);
    const handle = await f.start(client(), 'Research TPU history');
    const saved = handle.toJSON();
    handle.detach();
    expect(() => FlowHandle.fromJSON(saved, client())).toThrow(FlowResumeError);
    expect(() => FlowHandle.fromJSON(saved, client())).toThrow(/summarize.*function.*options\.flow/);
    const other = chain(research(), modelStep({ name: 'other', model: FLASH }));
    expect(() => FlowHandle.fromJSON(saved, client(), { flow: other })).toThrow(/does not match/);
    const resumed = FlowHandle.fromJSON(saved, client(), { flow: f });
    const result = await resumed.result();
    expect(result.status).toBe('completed');
    const stored = (await store().getInteraction(result.steps.summarize!.interactionId!, null))!;
    expect(textOfInput(stored.request.input)).toContain('Summarize research.');
  });

  it('refuses another version or a malformed record', () => {
    expect(() => FlowHandle.fromJSON('{nope', client())).toThrow(FlowResumeError);
    expect(() =>
      FlowHandle.fromJSON({ type: 'interplay.flow', version: 99 } as unknown as SavedFlow, client()),
    ).toThrow(/version 99/);
    expect(() => FlowHandle.fromJSON({ type: 'other' } as unknown as SavedFlow, client())).toThrow(
      /Not a saved flow/,
    );
  });
});

// ---- fan-out / fan-in -----------------------------------------------------------------------------

describe('parallel(a, b) joined', () => {
  it('runs the branches at once; the join continues the first and embeds the other', async () => {
    const events: FlowEvent[] = [];
    const tpu = agentStep({ name: 'tpu', agent: FAST_DR, input: 'Research TPU history' });
    const euro = agentStep({ name: 'euro', agent: FAST_DR, input: 'Research the Euro 2024 final' });
    const join = modelStep({ name: 'join', model: FLASH, input: 'Summarize the report in 5 bullets.' });
    const handle = await chain(parallel(tpu, euro), join).start(client(), 'unused', {
      onProgress: (e) => events.push(e),
    });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    const { tpu: a, euro: b, join: j } = result.steps;

    // Fan-out: both research runs started before either finished.
    const order = events.flatMap((e) =>
      e.type === 'step_start' || e.type === 'step_finish' ? [`${e.type}:${e.step}`] : [],
    );
    expect(order.indexOf('step_start:euro')).toBeLessThan(order.indexOf('step_finish:tpu'));
    expect(order.indexOf('step_start:tpu')).toBeLessThan(order.indexOf('step_finish:euro'));
    expect(order.indexOf('step_start:join')).toBeGreaterThan(
      Math.max(order.indexOf('step_finish:tpu'), order.indexOf('step_finish:euro')),
    );

    // Fan-in: by reference to the first branch, by value for the other (the API has one previous id).
    expect(j!.previousInteractionId).toBe(a!.interactionId);
    const stored = (await store().getInteraction(j!.interactionId!, null))!;
    const input = textOfInput(stored.request.input);
    expect(input).toContain(`[Output of step 'euro' (interaction ${b!.interactionId})]`);
    expect(input).toContain('Spain won the Euro 2024 final');
    expect(input).not.toContain('Research TPU history\\n\\nKey findings');
    // The summary came from the continued branch's report (in the history).
    for (const bullet of result.text.split('\n').slice(1)) expect(a!.text).toContain(bullet);
  });

  it('lets the join build its own input from both results, and fork from any step', async () => {
    const a = agentStep({ name: 'a', agent: FAST_DR, input: 'Research quantum entanglement' });
    const b = agentStep({ name: 'b', agent: FAST_DR, input: 'Research the Euro 2024 final' });
    const join = modelStep({
      name: 'join',
      model: FLASH,
      input: (ctx) => `Compare ${ctx.results.a!.interactionId} with ${ctx.results.b!.interactionId}.`,
    });
    const fork = modelStep({ name: 'fork', model: FLASH, input: 'hello', from: 'b' });
    const fresh = modelStep({ name: 'fresh', model: FLASH, input: 'hello', from: null });
    const result = await (
      await chain(parallel([a, b], { continueFrom: 1, embed: 'none' }), join, fork, fresh).start(
        client(),
        'x',
      )
    ).result();
    expect(result.status).toBe('completed');
    const { a: ra, b: rb, join: rj, fork: rf, fresh: rn } = result.steps;
    expect(rj!.previousInteractionId).toBe(rb!.interactionId);
    const input = textOfInput((await store().getInteraction(rj!.interactionId!, null))!.request.input);
    expect(input).toContain(`Compare ${ra!.interactionId} with ${rb!.interactionId}.`);
    expect(input).not.toContain('[Output of step');
    expect(rf!.previousInteractionId).toBe(rb!.interactionId);
    expect(rn!.previousInteractionId).toBeUndefined();
  });
});

// ---- cancel, failures, runner steps ---------------------------------------------------------------

describe('cancel and failures', () => {
  it('handle.cancel() cancels the running research on the server; later steps never run', () =>
    withLatency(5_000, async () => {
      const handle = await chain(research(), summarize()).start(client(), 'Research TPU history');
      await new Promise<void>((resolve) => handle.once('tool_call', () => resolve()));
      const started = Date.now();
      const result = await handle.cancel();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(result.status).toBe('cancelled');
      expect(result.steps.summarize!.status).toBe('pending');
      const id = result.steps.research!.interactionId!;
      expect((await client().get(id)).interaction.status).toBe('cancelled');
      expect(handle.toJSON().steps[0]!.status).toBe('cancelled');
    }));

  it('an abort signal cancels too', () =>
    withLatency(5_000, async () => {
      const ac = new AbortController();
      const handle = await flow(research()).start(client(), 'Research TPU history', { signal: ac.signal });
      ac.abort();
      const result = await handle.result();
      expect(result.status).toBe('cancelled');
      expect((await client().get(result.steps.research!.interactionId!)).interaction.status).toBe(
        'cancelled',
      );
    }));

  it('a step the server refuses fails the flow, as data', async () => {
    const foreground = agentStep({ name: 'research', agent: DR, background: false });
    const result = await (
      await chain(foreground, summarize()).start(client(), 'Research TPU history')
    ).result();
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ step: 'research', code: 'invalid_request' });
    expect(result.error!.message).toContain("'background'");
    expect(result.steps.summarize!.status).toBe('pending');
  });

  it('rejects a flow with two steps of the same name, or a `from` naming no step', async () => {
    expect(() => chain(research(), research())).toThrow(FlowDefinitionError);
    const dangling = chain(research(), modelStep({ model: FLASH, from: 'nope' }));
    await expect(dangling.start(client(), 'x')).rejects.toThrow(/unknown step 'nope'/);
  });
});

describe('a flow over an InteractionsBackend', () => {
  it('reaches the API only through the backend it is given: create, then follow for a background step', async () => {
    const inner = clientBackend(client('legacy'));
    const calls: string[] = [];
    const backend: InteractionsBackend = {
      create: (request, options) => {
        calls.push('create');
        return inner.create(request, options);
      },
      stream: (request, options) => {
        calls.push('stream');
        return inner.stream(request, options);
      },
      follow: (id, options) => {
        calls.push('follow');
        return inner.follow(id, options);
      },
      get: (id, options) => {
        calls.push('get');
        return inner.get(id, options);
      },
      cancel: (id, options) => {
        calls.push('cancel');
        return inner.cancel(id, options);
      },
    };
    const result = await (
      await chain(research('research', FAST_DR), summarize()).start(backend, 'Research TPU history')
    ).result();
    expect(result.status).toBe('completed');
    expect(result.text).toMatch(/^Summary of the research report:/);
    expect(calls).toEqual(['create', 'follow', 'stream']);
  });
});

describe('a model step with function tools (a core Runner) after the research', () => {
  it('runs the tool loop continuing the research interaction', async () => {
    const getWeather = tool({
      name: 'get_weather',
      description: 'Gets the weather for a given location.',
      parameters: z.object({ location: z.string() }),
      execute: ({ location }) => `The weather in ${location} is sunny.`,
    });
    const events: FlowEvent[] = [];
    const ask = modelStep({
      name: 'ask',
      model: FLASH,
      input: 'What is the weather in Paris?',
      tools: [getWeather],
    });
    const result = await (
      await chain(research('research', FAST_DR), ask).start(client(), 'Research TPU history', {
        onProgress: (e) => events.push(e),
      })
    ).result();
    expect(result.status).toBe('completed');
    expect(result.text).toBe('Here is what I found: The weather in Paris is sunny.');
    const steps = result.steps.ask!;
    expect(steps.interactionIds).toHaveLength(2);
    expect(steps.previousInteractionId).toBe(result.steps.research!.interactionId);
    const first = (await store().getInteraction(steps.interactionIds[0]!, null))!;
    expect(first.previousId).toBe(result.steps.research!.interactionId);
    expect(events.some((e) => e.type === 'tool_call' && e.step === 'ask' && e.name === 'get_weather')).toBe(
      true,
    );
    expect(events.some((e) => e.type === 'tool_result' && e.step === 'ask' && !e.isError)).toBe(true);
  });
});
