/**
 * A turn taken over from a replica that stopped (`TurnInput.resume`): the engine goes on from the steps it
 * had completed — their indexes kept, the next step after them — doing what they call for.
 */
import type { Item, Tool } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, TurnOutcome, TurnResume } from '../src/engine/contract.ts';
import { createEngine } from '../src/engine/engine.ts';
import type { Provider, ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import type { ServerTool } from '../src/tools/server-tool.ts';

const user: Item = { type: 'user_input', content: [{ type: 'text', text: 'what is 6*7?' }] };
const call = (id: string): Item => ({
  type: 'code_execution_call',
  id,
  arguments: { language: 'python', code: '6*7' },
});
const result = (id: string): Item => ({ type: 'code_execution_result', call_id: id, result: '42' });
const answer = (text: string): Item => ({ type: 'model_output', content: [{ type: 'text', text }] });
const thought: Item = { type: 'thought', signature: 'sig' };
const tools: Tool[] = [{ type: 'code_execution' }];

/** A code_execution tool that counts its runs. */
function calculator(): ServerTool & { runs: number } {
  const tool = {
    runs: 0,
    toolType: 'code_execution',
    callType: 'code_execution_call',
    async execute(item: Item): Promise<Item> {
      tool.runs += 1;
      return result(String(item.id));
    },
  };
  return tool;
}

/** A provider answering each call with `answers[n]`; records the items each call was given. */
function provider(answers: ProviderEvent[][]): Provider & { seen: Item[][] } {
  const seen: Item[][] = [];
  return {
    name: 'fake',
    seen,
    async *generate(request: ProviderRequest) {
      seen.push(structuredClone([...request.items]));
      yield* answers[seen.length - 1] ?? [{ type: 'text', text: 'no more answers' }];
    },
  };
}

async function resume(
  p: Provider,
  steps: Item[],
  interrupted: boolean,
  o: { tool?: ServerTool; maxToolRounds?: number } = {},
) {
  const engine = createEngine({
    providers: [p],
    tools: createServerToolRegistry(o.tool ? [o.tool] : []),
    ...(o.maxToolRounds ? { maxToolRounds: o.maxToolRounds } : {}),
  });
  const events: EngineEvent[] = [];
  const turn: TurnResume = { steps, interrupted };
  const outcome: TurnOutcome = await engine.runTurn(
    {
      interactionId: 'v1_taken',
      request: { model: 'm', input: [user], tools },
      history: async () => [],
      signal: new AbortController().signal,
      resume: turn,
    },
    { emit: (e) => events.push(structuredClone(e)) },
  );
  const starts = events.filter((e) => e.event_type === 'step.start').map((e) => `${e.index} ${e.step.type}`);
  return { outcome, starts };
}

describe('engine: a turn taken over', () => {
  it('runs the server calls left without a result, then asks the model with everything so far', async () => {
    const tool = calculator();
    const p = provider([[{ type: 'text', text: '42.' }]]);
    const { outcome, starts } = await resume(p, [thought, call('c1')], false, { tool });
    expect(tool.runs).toBe(1);
    expect(starts).toEqual(['2 code_execution_result', '3 model_output']);
    expect(p.seen).toEqual([[user, thought, call('c1'), result('c1')]]);
    expect(outcome).toMatchObject({
      status: 'completed',
      output: [thought, call('c1'), result('c1'), answer('42.')],
    });
  });

  it('asks the model again after the tool results, and for a step it was interrupted in', async () => {
    const afterResults = provider([[{ type: 'text', text: 'It is 42.' }]]);
    const first = await resume(afterResults, [call('c1'), result('c1')], false);
    expect(first.starts).toEqual(['2 model_output']);
    expect(first.outcome.output).toEqual([call('c1'), result('c1'), answer('It is 42.')]);

    // The model had thought and was writing its answer when the replica stopped: the answer is written anew.
    const midAnswer = provider([[{ type: 'text', text: 'Forty-two.' }]]);
    const second = await resume(midAnswer, [thought], true);
    expect(midAnswer.seen).toEqual([[user, thought]]);
    expect(second.starts).toEqual(['1 model_output']);
    expect(second.outcome).toMatchObject({ status: 'completed', output: [thought, answer('Forty-two.')] });
  });

  it('ends as the model had already answered when it stopped between steps, without asking it again', async () => {
    const p = provider([]);
    const done = await resume(p, [call('c1'), result('c1'), answer('42.')], false);
    expect(done.outcome).toMatchObject({
      status: 'completed',
      output: [call('c1'), result('c1'), answer('42.')],
    });
    const clientCall: Item = { type: 'function_call', id: 'f1', name: 'lookup', arguments: {} };
    const handedOver = await resume(p, [clientCall], false);
    expect(handedOver.outcome).toMatchObject({ status: 'requires_action', output: [clientCall] });
    expect(p.seen).toEqual([]);
  });

  it('counts the tool rounds already run toward the limit', async () => {
    const atLimit = provider([]);
    const stopped = await resume(atLimit, [call('c1'), result('c1')], false, { maxToolRounds: 1 });
    expect(stopped.outcome).toMatchObject({ status: 'incomplete', output: [call('c1'), result('c1')] });
    expect(atLimit.seen).toEqual([]);

    const tool = calculator();
    const oneMore = provider([[{ type: 'item', item: call('c2') }]]);
    const { outcome } = await resume(oneMore, [call('c1'), result('c1')], false, { tool, maxToolRounds: 2 });
    expect(outcome).toMatchObject({ status: 'incomplete' });
    expect(outcome.output).toEqual([call('c1'), result('c1'), call('c2'), result('c2')]);
  });

  it('fails with a clear error for an agent that cannot go on from where it stopped', async () => {
    const engine = createEngine({ providers: [provider([])] });
    const outcome = await engine.runTurn(
      {
        interactionId: 'v1_agent',
        request: { agent: 'deep-research-pro-preview-12-2025', input: [user] },
        history: async () => [],
        signal: new AbortController().signal,
        resume: { steps: [thought], interrupted: false },
      },
      { emit: () => {} },
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      output: [thought],
      error: { code: 'api_error', message: expect.stringMatching(/replica .* stopped.*cannot go on/) },
    });
  });
});
