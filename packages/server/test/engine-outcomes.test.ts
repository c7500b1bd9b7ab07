/**
 * How an engine turn ends when it does not simply complete: cancelled (mid-stream or while tools run),
 * failed (provider errors, no provider for the model, history that cannot load), with routing by
 * supportsModel, usage summed over provider calls, and a scripted server tool loop end to end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InteractionsError } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/engine/contract.ts';
import { createEngine } from '../src/engine/engine.ts';
import type { Provider } from '../src/providers/provider.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import type { ServerTool } from '../src/tools/server-tool.ts';
import {
  calculator,
  codeCall,
  codeTools,
  deltas,
  fakeProvider,
  run,
  shape,
  text,
  userInput,
} from './helpers/engine-harness.ts';

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
