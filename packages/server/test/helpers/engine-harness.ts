/**
 * A harness for the engine tests (`engine-*.test.ts`): a fake provider that records its requests, a `run`
 * that drives one turn and collects its events, views of the event stream, and a `code_execution` server
 * tool that evaluates arithmetic.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CanonicalRequest, Item, StepDeltaEvent, Tool } from '@interplay/protocol';
import type { EngineEvent, TurnOutcome } from '../../src/engine/contract.ts';
import { createEngine, type EngineOptions } from '../../src/engine/engine.ts';
import type { Provider, ProviderEvent, ProviderRequest } from '../../src/providers/provider.ts';
import type { ServerTool } from '../../src/tools/server-tool.ts';

export const userInput = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });

/** A provider whose n-th call (from 0) yields `calls(n, request)`; records every request it got. */
export function fakeProvider(
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

export interface RunOptions extends Partial<EngineOptions> {
  request?: Partial<CanonicalRequest>;
  history?: Item[];
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

export async function run(provider: Provider, options: RunOptions = {}) {
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
export const shape = (events: EngineEvent[]) =>
  events.map((e) =>
    e.event_type === 'step.start'
      ? `start ${e.index} ${e.step.type}`
      : e.event_type === 'step.delta'
        ? `delta ${e.index} ${e.delta.type}`
        : `stop ${e.index}`,
  );

export const deltas = (events: EngineEvent[], index: number) =>
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
export function calculator(
  hooks: { delayMs?: number; active?: { now: number; max: number } } = {},
): ServerTool {
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

export const codeCall = (id: string, code: string): ProviderEvent => ({
  type: 'item',
  item: { type: 'code_execution_call', id, arguments: { language: 'python', code } },
});
export const text = (t: string): ProviderEvent => ({ type: 'text', text: t });
export const codeTools: Tool[] = [{ type: 'code_execution' }];
