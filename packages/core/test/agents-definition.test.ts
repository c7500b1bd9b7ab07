/** Agent definitions and run policy: what is refused, with errors naming the field. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, AgentDefinitionError, InterplayError, Runner, RunState, run, tool } from '../src/index.ts';
import { call, FakeBackend, text } from './helpers/fake-backend.ts';

const fakeBackend = (replies: ConstructorParameters<typeof FakeBackend>[0]) => new FakeBackend(replies);

const noop = tool({
  name: 'noop',
  description: 'Does nothing.',
  parameters: z.object({}),
  execute: () => 'ok',
});

describe('Agent definitions', () => {
  it('refuses a name that cannot name a handoff tool', () => {
    expect(() => new Agent({ name: 'billing team' })).toThrow(AgentDefinitionError);
    expect(() => new Agent({ name: 'billing team' })).toThrow(/field "name"/);
  });

  it('refuses two different agents with one name among those a run reaches', async () => {
    const a = new Agent({ name: 'helper' });
    const b = new Agent({ name: 'helper' });
    const root = new Agent({ name: 'root', handoffs: [a], tools: [b.asTool()] });
    await expect(run(root, 'hi', { backend: fakeBackend([]), model: 'm' })).rejects.toThrow(
      /Two different agents are named "helper"/,
    );
  });

  it('needs a model on the agent or the runner', async () => {
    await expect(run(new Agent({ name: 'lonely' }), 'hi', { backend: fakeBackend([]) })).rejects.toThrow(
      /Agent lonely has no "model"/,
    );
  });

  it('a Runner holding an agent’s fields refuses to run an Agent (they belong in the agent)', () => {
    const runner = new Runner({ backend: fakeBackend([]), model: 'm', tools: [noop], instructions: 'x' });
    const error = (() => {
      try {
        runner.run(new Agent({ name: 'a' }), 'hi');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InterplayError);
    expect(error).toMatchObject({ code: 'runner_misconfigured' });
    expect((error as Error).message).toMatch(/instructions, tools/);
  });

  it('a Runner without a model runs agents, and says what is missing for plain input', () => {
    const runner = new Runner({ backend: fakeBackend([]) });
    expect(() => runner.run('hi')).toThrow(/needs a `model` or an `agent`/);
  });

  it('a resumed state naming an unknown agent is refused', async () => {
    const state = new RunState();
    state.agent = 'ghost';
    await expect(
      run(new Agent({ name: 'root', model: 'm' }), state, { backend: fakeBackend([]) }),
    ).rejects.toThrow(/names agent "ghost"/);
  });

  it('reads run states of schemaVersion 2 (no agent, no nested runs)', () => {
    const v2 = {
      schemaVersion: 2,
      runId: 'run_2',
      mode: 'stateful',
      stepCount: 0,
      usage: {},
      pendingInput: [],
      calls: [],
      steps: [],
    };
    const state = RunState.fromJSON(v2);
    expect(state.agent).toBeUndefined();
    expect(state.toJSON().schemaVersion).toBe(3);
  });
});

describe('what an agent offers the model', () => {
  it('its tools, its MCP servers (hosted and resolved once per run), its handoffs and model settings', async () => {
    let resolved = 0;
    const fromMcp = tool({
      name: 'mcp_lookup',
      description: 'From MCP.',
      parameters: z.object({}),
      execute: () => 'x',
    });
    const specialist = new Agent({ name: 'specialist' });
    const agent = new Agent({
      name: 'generalist',
      model: 'model-a',
      tools: [noop],
      mcpServers: [
        { type: 'mcp_server', name: 'docs', url: 'https://mcp.example/docs' },
        async ({ model }) => {
          resolved++;
          expect(model).toBe('model-a');
          return [fromMcp];
        },
      ],
      handoffs: [specialist],
      modelSettings: { toolChoice: 'any', generationConfig: { temperature: 0.2 } },
    });
    const backend = new FakeBackend([[call('noop', {})], [text('done')]]);
    const result = await run(agent, 'hi', { backend, model: 'default-model' });
    expect(result.text).toBe('done');
    expect(resolved).toBe(1);
    for (const request of backend.requests) {
      expect(request.model).toBe('model-a');
      expect(request.tools?.map((t) => ('name' in t ? t.name : t.type))).toEqual([
        'noop',
        'mcp_lookup',
        'transfer_to_specialist',
        'docs',
      ]);
      expect(request.generation_config).toMatchObject({ temperature: 0.2, tool_choice: 'any' });
    }
  });
});
