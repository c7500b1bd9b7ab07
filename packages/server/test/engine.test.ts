import { setTimeout as sleep } from 'node:timers/promises';
import type { CanonicalRequest, Item, StepDeltaEvent, Tool } from '@interplay/protocol';
import { InteractionsError } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, TurnOutcome } from '../src/engine/contract.ts';
import { createEngine, type EngineOptions } from '../src/engine/engine.ts';
import type { Provider, ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import type { ServerTool } from '../src/tools/server-tool.ts';

// ---- helpers -------------------------------------------------------------------------------------

const userInput = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });

/** A provider whose n-th call (from 0) yields `calls(n, request)`; records every request it got. */
function fakeProvider(
  calls: (n: number, request: ProviderRequest) => ProviderEvent[] | AsyncIterable<ProviderEvent>,
) {
  const requests: ProviderRequest[] = [];
  const provider: Provider = {
    name: 'fake',
    async *generate(request) {
      requests.push(structuredClone(request));
      yield* calls(requests.length - 1, request);
    },
  };
  return { provider, requests };
}

interface RunOptions extends Partial<EngineOptions> {
  request?: Partial<CanonicalRequest>;
  history?: Item[];
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

async function run(provider: Provider, options: RunOptions = {}) {
  const events: EngineEvent[] = [];
  let historyLoads = 0;
  const engine = createEngine({ providers: [provider], ...options });
  const outcome: TurnOutcome = await engine.runTurn(
    {
      interactionId: 'int_1',
      request: { model: 'test-model', input: [userInput('hello')], ...options.request },
      history: async () => {
        historyLoads += 1;
        return options.history ?? [];
      },
      signal: options.signal ?? new AbortController().signal,
    },
    {
      emit(event) {
        events.push(structuredClone(event));
        options.onEvent?.(event);
      },
    },
  );
  return { outcome, events, historyLoads };
}

/** `start 0`, `delta 0 text`, `stop 0` … — the shape of a stream at a glance. */
const shape = (events: EngineEvent[]) =>
  events.map((e) =>
    e.event_type === 'step.start'
      ? `start ${e.index} ${e.step.type}`
      : e.event_type === 'step.delta'
        ? `delta ${e.index} ${e.delta.type}`
        : `stop ${e.index}`,
  );

const deltas = (events: EngineEvent[], index: number) =>
  events
    .filter((e): e is StepDeltaEvent => e.event_type === 'step.delta' && e.index === index)
    .map((e) => e.delta);

/** Evaluates `+ - * / ( )` over numbers: the in-test code_execution "sandbox". */
function arithmetic(source: string): number {
  const tokens = source.match(/\d+(?:\.\d+)?|[-+*/()]/g) ?? [];
  let i = 0;
  const atom = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      i++;
      return v;
    }
    if (t === '-') return -atom();
    if (t === undefined || Number.isNaN(Number(t))) throw new Error(`unexpected ${t ?? 'end of input'}`);
    return Number(t);
  };
  const product = (): number => {
    let v = atom();
    while (tokens[i] === '*' || tokens[i] === '/') v = tokens[i++] === '*' ? v * atom() : v / atom();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const value = sum();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return value;
}

/** A `code_execution` server tool for tests; `hooks` observe concurrency and inject delays or failures. */
function calculator(hooks: { delayMs?: number; active?: { now: number; max: number } } = {}): ServerTool {
  return {
    toolType: 'code_execution',
    callType: 'code_execution_call',
    async execute(call, ctx) {
      const active = hooks.active;
      if (active) active.max = Math.max(active.max, ++active.now);
      try {
        if (hooks.delayMs) await sleep(hooks.delayMs, undefined, { signal: ctx.signal });
        const code = String((call.arguments as { code?: unknown }).code);
        return { type: 'code_execution_result', call_id: String(call.id), result: String(arithmetic(code)) };
      } finally {
        if (active) active.now -= 1;
      }
    },
  };
}

const codeCall = (id: string, code: string): ProviderEvent => ({
  type: 'item',
  item: { type: 'code_execution_call', id, arguments: { language: 'python', code } },
});
const text = (t: string): ProviderEvent => ({ type: 'text', text: t });
const codeTools: Tool[] = [{ type: 'code_execution' }];

// ---- tests ---------------------------------------------------------------------------------------

describe('engine: streaming one answer', () => {
  it('streams text as one model_output step whose deltas concatenate to the text', async () => {
    const { provider } = fakeProvider(() => [text('Hello'), text(', '), text('world.')]);
    const { outcome, events } = await run(provider);
    expect(shape(events)).toEqual([
      'start 0 model_output',
      'delta 0 text',
      'delta 0 text',
      'delta 0 text',
      'stop 0',
    ]);
    expect(
      deltas(events, 0)
        .map((d) => (d.type === 'text' ? d.text : ''))
        .join(''),
    ).toBe('Hello, world.');
    expect(outcome).toEqual({
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'Hello, world.' }] }],
      usage: { total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 },
    });
  });

  it('gives each step its own index: thought 0, text 1, image in the same model_output, call 2', async () => {
    const { provider } = fakeProvider(() => [
      { type: 'thought', signature: 'sig', summary: [{ type: 'text', text: 'hmm' }] },
      text('Look: '),
      { type: 'media', content: { type: 'image', data: 'AAAA', mime_type: 'image/png' } },
      { type: 'item', item: { type: 'google_maps_result', call_id: 'x' } },
      text('after'),
    ]);
    const { outcome, events } = await run(provider);
    expect(shape(events)).toEqual([
      'start 0 thought',
      'delta 0 thought_signature',
      'stop 0',
      'start 1 model_output',
      'delta 1 text',
      'delta 1 image',
      'stop 1',
      'start 2 google_maps_result',
      'stop 2',
      'start 3 model_output',
      'delta 3 text',
      'stop 3',
    ]);
    expect(events[0]).toEqual({
      event_type: 'step.start',
      index: 0,
      step: { type: 'thought', summary: [{ type: 'text', text: 'hmm' }], signature: '' },
    });
    expect(outcome.output).toEqual([
      { type: 'thought', signature: 'sig', summary: [{ type: 'text', text: 'hmm' }] },
      {
        type: 'model_output',
        content: [
          { type: 'text', text: 'Look: ' },
          { type: 'image', data: 'AAAA', mime_type: 'image/png' },
        ],
      },
      { type: 'google_maps_result', call_id: 'x' },
      { type: 'model_output', content: [{ type: 'text', text: 'after' }] },
    ]);
  });

  it('streams annotations as text_annotation_delta and keeps them on the text', async () => {
    const citation = {
      type: 'url_citation' as const,
      url: 'https://a.example',
      start_index: 0,
      end_index: 4,
    };
    const { provider } = fakeProvider(() => [{ type: 'text', text: 'Fact', annotations: [citation] }]);
    const { outcome, events } = await run(provider);
    expect(deltas(events, 0)).toEqual([
      { type: 'text', text: 'Fact' },
      { type: 'text_annotation_delta', annotations: [citation] },
    ]);
    expect(outcome.output[0]).toEqual({
      type: 'model_output',
      content: [{ type: 'text', text: 'Fact', annotations: [citation] }],
    });
  });

  it('passes history, then input, then this turn’s items to the provider, loading history once', async () => {
    const earlier = [
      userInput('before'),
      { type: 'model_output', content: [{ type: 'text', text: 'ok' }] } as Item,
    ];
    const { provider, requests } = fakeProvider((n) => (n === 0 ? [codeCall('c1', '1+1')] : [text('done')]));
    const { historyLoads } = await run(provider, {
      history: earlier,
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools, system_instruction: 'be brief', generation_config: { temperature: 0 } },
    });
    expect(historyLoads).toBe(1);
    expect(requests[0]).toMatchObject({
      interactionId: 'int_1',
      model: 'test-model',
      system_instruction: 'be brief',
      generation_config: { temperature: 0 },
      tools: codeTools,
      items: [...earlier, userInput('hello')],
    });
    expect(requests[1]?.items.map((i) => i.type)).toEqual([
      'user_input',
      'model_output',
      'user_input',
      'code_execution_call',
      'code_execution_result',
    ]);
  });
  it('shares the history it was given without changing it, and never changes a request it already sent', async () => {
    // A frozen history (as the runtime's history cache hands out) would throw on any write.
    const history = Object.freeze([
      Object.freeze(userInput('before')),
      Object.freeze({ type: 'model_output', content: Object.freeze([{ type: 'text', text: 'ok' }]) }) as Item,
    ]);
    const seen: (readonly Item[])[] = [];
    const { provider } = fakeProvider((n, request) => {
      seen.push(request.items);
      return n === 0 ? [codeCall('c1', '1+1')] : [text('done')];
    });
    const engine = createEngine({ providers: [provider], tools: createServerToolRegistry([calculator()]) });
    const outcome = await engine.runTurn(
      {
        interactionId: 'int_1',
        request: { model: 'test-model', input: [userInput('hello')], tools: codeTools },
        history: async () => history,
        signal: new AbortController().signal,
      },
      { emit() {} },
    );
    expect(outcome.status).toBe('completed');
    expect(history).toHaveLength(2);
    // The first call's items are history + input, still so after the second call was made.
    expect(seen[0]?.map((i) => i.type)).toEqual(['user_input', 'model_output', 'user_input']);
    expect(seen[1]?.map((i) => i.type)).toEqual([
      'user_input',
      'model_output',
      'user_input',
      'code_execution_call',
      'code_execution_result',
    ]);
    expect(seen[1]?.[0]).toBe(history[0]); // shared, not copied item by item
  });
});

describe('engine: client function calls', () => {
  it('ends requires_action, streaming arguments as arguments_delta fragments that reassemble', async () => {
    const args = {
      location: 'Paris, France',
      days: [1, 2, 3],
      note: 'naïve — ünïcode 🌍 text that is long enough',
    };
    const { provider } = fakeProvider(() => [
      text('Checking.'),
      { type: 'item', item: { type: 'function_call', id: 'fc1', name: 'get_weather', arguments: args } },
    ]);
    const { outcome, events } = await run(provider, {
      request: { tools: [{ type: 'function', name: 'get_weather' }] },
    });
    expect(outcome.status).toBe('requires_action');
    expect(events.find((e) => e.event_type === 'step.start' && e.index === 1)).toEqual({
      event_type: 'step.start',
      index: 1,
      step: { type: 'function_call', id: 'fc1', name: 'get_weather', arguments: {} },
    });
    const fragments = deltas(events, 1).map((d) => (d.type === 'arguments_delta' ? d.arguments : undefined));
    expect(fragments.length).toBeGreaterThan(1);
    expect(JSON.parse(fragments.join(''))).toEqual(args);
    expect(outcome.output[1]).toEqual({
      type: 'function_call',
      id: 'fc1',
      name: 'get_weather',
      arguments: args,
    });
    expect(shape(events).at(-1)).toBe('stop 1');
  });

  it('gives a call without an id one', async () => {
    const { provider } = fakeProvider(() => [
      { type: 'item', item: { type: 'function_call', name: 'f', arguments: {} } as Item },
    ]);
    const { outcome } = await run(provider);
    expect(outcome.output[0]?.id).toMatch(/^call_[\w-]{12}$/);
  });
});

describe('engine: server tool loop', () => {
  it('runs the call, records call and result steps, and calls the provider again with the result', async () => {
    const { provider, requests } = fakeProvider((n, req) => {
      if (n === 0) return [text('Let me compute.'), codeCall('c1', '2 + 3 * 4')];
      const result = req.items.at(-1);
      return [text(`The answer is ${String(result?.result)}.`)];
    });
    const { outcome, events } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(requests).toHaveLength(2);
    expect(shape(events)).toEqual([
      'start 0 model_output',
      'delta 0 text',
      'stop 0',
      'start 1 code_execution_call',
      'stop 1',
      'start 2 code_execution_result',
      'stop 2',
      'start 3 model_output',
      'delta 3 text',
      'stop 3',
    ]);
    expect(outcome.status).toBe('completed');
    expect(outcome.output[2]).toEqual({ type: 'code_execution_result', call_id: 'c1', result: '14' });
    expect(outcome.output[3]).toEqual({
      type: 'model_output',
      content: [{ type: 'text', text: 'The answer is 14.' }],
    });
  });

  it('runs the calls of one round in parallel, capped by toolConcurrency', async () => {
    const calls = () => [codeCall('a', '1'), codeCall('b', '2'), codeCall('c', '3')];
    for (const [cap, expected] of [
      [8, 3],
      [1, 1],
    ] as const) {
      const active = { now: 0, max: 0 };
      const { provider } = fakeProvider((n) => (n === 0 ? calls() : [text('ok')]));
      const { outcome, events } = await run(provider, {
        tools: createServerToolRegistry([calculator({ delayMs: 30, active })]),
        toolConcurrency: cap,
        request: { tools: codeTools },
      });
      expect(active.max).toBe(expected);
      const results = outcome.output.filter((i) => i.type === 'code_execution_result');
      expect(results.map((r) => r.call_id).sort()).toEqual(['a', 'b', 'c']);
      const starts = events.filter((e) => e.event_type === 'step.start').map((e) => e.index);
      expect(starts).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it('turns a throwing tool into an is_error result and goes on', async () => {
    const { provider, requests } = fakeProvider((n) =>
      n === 0 ? [codeCall('bad', '2 +')] : [text('recovered')],
    );
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(outcome.output[1]).toEqual({
      type: 'code_execution_result',
      call_id: 'bad',
      is_error: true,
      result: 'unexpected end of input',
    });
    expect(requests[1]?.items.at(-1)).toMatchObject({ is_error: true });
    expect(outcome.status).toBe('completed');
  });

  it('answers calls for unregistered or unoffered tools with is_error results', async () => {
    const { provider } = fakeProvider((n) =>
      n === 0
        ? [
            codeCall('c1', '1'),
            {
              type: 'item',
              item: { type: 'url_context_call', id: 'u1', arguments: { urls: ['https://a.example'] } },
            },
          ]
        : [text('ok')],
    );
    // code_execution is registered but not offered; url_context has no tool on this server.
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: [] },
    });
    const results = Object.fromEntries(outcome.output.filter((i) => i.is_error).map((i) => [i.call_id, i]));
    expect(results.c1).toEqual({
      type: 'code_execution_result',
      call_id: 'c1',
      is_error: true,
      result: "tool 'code_execution' was not offered in this request",
    });
    expect(results.u1).toMatchObject({
      type: 'url_context_result',
      call_id: 'u1',
      is_error: true,
      result: [{ url: 'https://a.example', status: 'error' }],
    });
    expect(outcome.status).toBe('completed');
  });

  it('matches an MCP call to the offered server of the same name and hands over its declaration', async () => {
    const seen: Tool[] = [];
    const mcp: ServerTool = {
      toolType: 'mcp_server',
      callType: 'mcp_server_tool_call',
      async execute(call, ctx) {
        seen.push(ctx.declaration);
        return {
          type: 'mcp_server_tool_result',
          call_id: String(call.id),
          name: String(call.name),
          result: 'sunny',
        };
      },
    };
    const mcpCall = (id: string, server: string): ProviderEvent => ({
      type: 'item',
      item: { type: 'mcp_server_tool_call', id, name: 'get_weather', server_name: server, arguments: {} },
    });
    const { provider } = fakeProvider((n) =>
      n === 0 ? [mcpCall('m1', 'weather'), mcpCall('m2', 'other')] : [text('ok')],
    );
    const offered: Tool[] = [
      { type: 'mcp_server', name: 'news', url: 'http://news' },
      { type: 'mcp_server', name: 'weather', url: 'http://weather' },
    ];
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([mcp]),
      request: { tools: offered },
    });
    expect(seen).toEqual([offered[1]]);
    const byCall = Object.fromEntries(
      outcome.output.filter((i) => 'call_id' in i).map((i) => [i.call_id, i]),
    );
    expect(byCall.m1).toMatchObject({ result: 'sunny' });
    expect(byCall.m2).toMatchObject({
      is_error: true,
      result: "tool 'mcp_server other' was not offered in this request",
    });
  });

  it('runs server calls before ending requires_action when a client call comes in the same round', async () => {
    const { provider, requests } = fakeProvider(() => [
      codeCall('c1', '6 * 7'),
      { type: 'item', item: { type: 'function_call', id: 'f1', name: 'notify', arguments: {} } },
    ]);
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(requests).toHaveLength(1);
    expect(outcome.status).toBe('requires_action');
    expect(outcome.output.map((i) => i.type)).toEqual([
      'code_execution_call',
      'function_call',
      'code_execution_result',
    ]);
    expect(outcome.output[2]).toMatchObject({ call_id: 'c1', result: '42' });
  });

  it('ends incomplete after maxToolRounds rounds, every call answered', async () => {
    const { provider, requests } = fakeProvider((n) => [codeCall(`c${n}`, '1 + 1')]);
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      maxToolRounds: 3,
      request: { tools: codeTools },
    });
    expect(requests).toHaveLength(3);
    expect(outcome.status).toBe('incomplete');
    expect(outcome.status === 'incomplete' && outcome.reason).toMatch(/3 rounds/);
    expect(outcome.output.filter((i) => i.type === 'code_execution_result')).toHaveLength(3);
  });

  it('turns a tool that outlives toolTimeoutMs into an is_error result', async () => {
    const hanging: ServerTool = {
      toolType: 'code_execution',
      callType: 'code_execution_call',
      execute: () => new Promise(() => {}), // ignores its signal
    };
    const { provider } = fakeProvider((n) => (n === 0 ? [codeCall('c1', '1')] : [text('ok')]));
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([hanging]),
      toolTimeoutMs: 30,
      request: { tools: codeTools },
    });
    expect(outcome.output[1]).toMatchObject({
      call_id: 'c1',
      is_error: true,
      result: 'tool timed out after 30 ms',
    });
    expect(outcome.status).toBe('completed');
  });
});

describe('engine: cancel, failures, routing, usage', () => {
  it('ends cancelled when the signal aborts mid-stream, closing the open step and the provider', async () => {
    const controller = new AbortController();
    let closed = false;
    let produced = 0;
    let deltaCount = 0;
    const provider: Provider = {
      name: 'slow',
      async *generate(_request, signal) {
        try {
          for (let i = 0; i < 100; i++) {
            produced += 1;
            yield text(`w${i} `);
            await sleep(5, undefined, { signal });
          }
        } finally {
          closed = true;
        }
      },
    };
    const { outcome, events } = await run(provider, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event_type === 'step.delta' && e.index === 0 && deltaCount++ === 1) controller.abort();
      },
    });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.output).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'w0 w1 ' }] }]);
    expect(shape(events)).toEqual(['start 0 model_output', 'delta 0 text', 'delta 0 text', 'stop 0']);
    expect(closed).toBe(true);
    expect(produced).toBeLessThan(5);
  });

  it('ends cancelled when the signal aborts while server tools run', async () => {
    const controller = new AbortController();
    const hanging: ServerTool = {
      toolType: 'code_execution',
      callType: 'code_execution_call',
      execute: () => new Promise(() => {}),
    };
    const { provider, requests } = fakeProvider(() => [codeCall('c1', '1')]);
    setTimeout(() => controller.abort(), 20);
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([hanging]),
      signal: controller.signal,
      request: { tools: codeTools },
    });
    expect(outcome.status).toBe('cancelled');
    expect(requests).toHaveLength(1);
    expect(outcome.output.map((i) => i.type)).toEqual(['code_execution_call']);
  });

  it('fails with api_error when the provider throws, keeping what was streamed', async () => {
    const { provider } = fakeProvider(() => ({
      async *[Symbol.asyncIterator]() {
        yield text('partial');
        throw new Error('backend exploded');
      },
    }));
    const { outcome, events } = await run(provider);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'api_error', message: 'backend exploded' },
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'partial' }] }],
    });
    expect(shape(events).at(-1)).toBe('stop 0');
  });

  it('keeps the code of a provider error that has one', async () => {
    const { provider } = fakeProvider(() => {
      throw new InteractionsError('rate_limit_exceeded', 'slow down');
    });
    const { outcome } = await run(provider);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message: 'slow down' },
    });
  });

  it('fails with not_found (404) when no provider serves the model, and routes by supportsModel', async () => {
    const only = (name: string, model: string): Provider => ({
      name,
      supportsModel: (m) => m === model,
      async *generate() {
        yield text(name);
      },
    });
    const engine = createEngine({ providers: [only('a', 'model-a'), only('b', 'model-b')] });
    const turn = (model: string) => {
      const events: EngineEvent[] = [];
      return engine
        .runTurn(
          {
            interactionId: 'i',
            request: { model, input: [] },
            history: async () => [],
            signal: new AbortController().signal,
          },
          { emit: (e) => events.push(e) },
        )
        .then((outcome) => ({ outcome, events }));
    };
    const missing = await turn('gemini-9');
    expect(missing.outcome).toMatchObject({
      status: 'failed',
      error: { code: 'not_found' },
      output: [],
    });
    expect(missing.events).toEqual([]);
    expect((await turn('model-b')).outcome.output).toEqual([
      { type: 'model_output', content: [{ type: 'text', text: 'b' }] },
    ]);
  });

  it('sums usage across provider calls, counting the last report of each call', async () => {
    const { provider } = fakeProvider((n) => [
      { type: 'usage', usage: { total_input_tokens: 1, total_output_tokens: 1, total_tokens: 2 } },
      ...(n === 0 ? [codeCall('c1', '1')] : [text('done')]),
      {
        type: 'usage',
        usage: {
          total_input_tokens: 10,
          total_output_tokens: 5,
          total_tokens: 15,
          input_tokens_by_modality: [{ modality: 'text', tokens: 10 }],
        },
      },
    ]);
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(outcome.usage).toEqual({
      total_input_tokens: 20,
      total_output_tokens: 10,
      total_tokens: 30,
      input_tokens_by_modality: [{ modality: 'text', tokens: 20 }],
    });
  });

  it('never throws out of runTurn, even when history loading fails', async () => {
    const engine = createEngine({ providers: [fakeProvider(() => [text('x')]).provider] });
    const outcome = await engine.runTurn(
      {
        interactionId: 'i',
        request: { model: 'm', input: [] },
        history: async () => {
          throw new Error('store down');
        },
        signal: new AbortController().signal,
      },
      { emit: () => {} },
    );
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'api_error', message: 'store down' } });
  });
});

describe('engine + scripted provider', () => {
  it('runs a scripted server tool loop end to end with usage from both calls', async () => {
    const provider = createScriptedProvider({
      script: {
        rules: [
          {
            when: { input: 'compute (?<expr>[\\d +*]+)', tools: ['code_execution'], last: 'user_input' },
            respond: [{ type: 'code_execution_call', arguments: { language: 'python', code: '{{expr}}' } }],
          },
          { when: { last: 'code_execution_result' }, respond: 'It is {{last.result}}.' },
        ],
      },
    });
    const { outcome, events } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { input: [userInput('compute 6 * 7')], tools: codeTools },
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.output.map((i) => i.type)).toEqual([
      'code_execution_call',
      'code_execution_result',
      'model_output',
    ]);
    expect(
      deltas(events, 2)
        .map((d) => (d.type === 'text' ? d.text : ''))
        .join(''),
    ).toBe('It is 42.');
    // call 1: input "compute 6 * 7" (4 words) → output code "6 * 7" (3) + language (1);
    // call 2: input 4 + call 4 + result "42" (1) = 9 → output "It is 42." (3).
    expect(outcome.usage).toMatchObject({ total_input_tokens: 13, total_output_tokens: 7, total_tokens: 20 });
  });
});
