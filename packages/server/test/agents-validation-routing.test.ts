/**
 * Requests for agents: validating a deep-research request (and the engine refusing an invalid one), and
 * routing agent ids through the agent registry — published ids, patterns, custom agents, and ids no agent
 * serves going to the providers. Harness: `helpers/deep-research.ts`.
 */
import type { CanonicalRequest, TextContent } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { createAgentRegistry, validateAgentRequest } from '../src/agents/index.ts';
import { PRO, reportOf, research, setup, useCorpusSite, userInput } from './helpers/deep-research.ts';

useCorpusSite();

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
