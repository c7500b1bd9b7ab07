/**
 * MCP tools in core's run loop, end to end: Runner → our Interactions server (scripted model) → function
 * calls → MCP servers (a stdio child, an HTTP server restarted mid-run), and hosted vs bridged.
 */
import { fileURLToPath } from 'node:url';
import { Runner, type RunnerTool, RunState, tool } from '@interplay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InteractionsClient } from '../../client/src/index.ts';
import { createEngine, createInteractionsServer, createProviderRegistry } from '../../server/src/index.ts';
import { mcpServerTool } from '../../server/src/mcp/index.ts';
import { createServerToolRegistry } from '../../server/src/tools/registry.ts';
import {
  type McpServerHandle,
  mcpPrepareStep,
  mcpServer,
  mcpToolErrors,
  resolveMcpTools,
} from '../src/index.ts';
import { startHttpFixture } from './fixtures/http-host.ts';

const STDIO_SERVER = fileURLToPath(new URL('./fixtures/stdio-server.ts', import.meta.url));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function interactions(script: object): Promise<InteractionsClient> {
  const server = createInteractionsServer({ port: 0, dbPath: ':memory:', script });
  const { url } = await server.listen();
  cleanup.push(() => server.close());
  return new InteractionsClient({ baseUrl: url, apiKey: 'test', maxRetries: 0 });
}

function stdio(options: Partial<Parameters<typeof mcpServer>[0]> = {}): McpServerHandle {
  const server = mcpServer({
    name: 'local',
    transport: { type: 'stdio', command: process.execPath, args: [STDIO_SERVER] },
    ...options,
  });
  cleanup.push(() => server.close());
  return server;
}

/** The HTTP MCP fixture (fixtures/http-host.ts), closed after the test. */
async function httpFixture() {
  const fixture = await startHttpFixture();
  cleanup.push(() => fixture.close());
  return fixture;
}

/** The HTTP fixture as the MCP server `remote`, closed after the test. */
function remoteServer(url: string, options: Partial<Parameters<typeof mcpServer>[0]> = {}): McpServerHandle {
  const server = mcpServer({ name: 'remote', transport: { type: 'http', url }, ...options });
  cleanup.push(() => server.close());
  return server;
}

/** The scripted model's rule: offered `counter`, it calls it on the user's turn. */
const CALL_COUNTER = {
  when: { tools: ['counter'], last: 'user_input' },
  respond: [{ type: 'function_call', name: 'counter', arguments: {} }],
};

describe('MCP tools in the run loop', () => {
  it('runs a stdio MCP tool as a function call and answers with its result', async () => {
    const client = await interactions({
      rules: [
        {
          when: { tools: ['local_echo'], last: 'user_input' },
          respond: [{ type: 'function_call', name: 'local_echo', arguments: { text: '{{input}}' } }],
        },
        { when: { last: 'function_result' }, respond: 'The tool said: {{last.result}}' },
      ],
    });
    const local = stdio({ prefix: 'local', allowTools: ['echo'] });
    const runner = new Runner({ client, model: 'gemini-2.5-flash', tools: await local.tools() });
    const result = await runner.run('hello over stdio');
    expect(result.text).toBe('The tool said: echo: hello over stdio');
    expect(result.steps[0]?.toolResults[0]).toMatchObject({ name: 'local_echo', isError: false });
  });

  it('sends an MCP isError result back as an is_error function_result', async () => {
    const client = await interactions({
      rules: [
        {
          when: { tools: ['fail'], last: 'user_input' },
          respond: [{ type: 'function_call', name: 'fail', arguments: { reason: 'disk full' } }],
        },
        { when: { last: 'function_result' }, respond: 'Sorry: {{last.result}}' },
      ],
    });
    const local = stdio({ allowTools: ['fail'] });
    const runner = new Runner({
      client,
      model: 'gemini-2.5-flash',
      tools: await local.tools(),
      onToolError: mcpToolErrors(),
    });
    const result = await runner.run('break something');
    expect(result.steps[0]?.toolResults[0]).toMatchObject({ isError: true, result: 'failed: disk full' });
    expect(result.text).toBe('Sorry: failed: disk full');
  });

  it('pauses an MCP call that needs approval, and runs it once approved', async () => {
    const fixture = await httpFixture();
    const client = await interactions({
      rules: [CALL_COUNTER, { when: { last: 'function_result' }, respond: 'Counted: {{last.result}}' }],
    });
    const remote = remoteServer(fixture.url, { allowTools: ['counter'], needsApproval: ['counter'] });
    const runner = new Runner({ client, model: 'gemini-2.5-flash', tools: await remote.tools() });
    const paused = await runner.run('count once');
    expect(paused.finishReason).toBe('interrupted');
    expect(paused.interruptions.map((p) => p.toolName)).toEqual(['counter']);
    expect(fixture.state.calls.counter).toBeUndefined();
    for (const p of paused.interruptions) paused.state.approve(p.callId);
    const done = await runner.run(paused.state);
    expect(done.text).toBe('Counted: 1');
    expect(fixture.state.calls.counter).toBe(1);
  });

  it('with mcpPrepareStep: an approved call resumes, in this process and from JSON in a fresh runner', async () => {
    const fixture = await httpFixture();
    const client = await interactions({
      rules: [CALL_COUNTER, { when: { last: 'function_result' }, respond: 'Counted: {{last.result}}' }],
    });
    const connect = () => {
      const remote = remoteServer(fixture.url, {
        mode: 'client',
        allowTools: ['counter'],
        needsApproval: ['counter'],
      });
      return new Runner({
        client,
        model: 'gemini-2.5-flash',
        prepareStep: mcpPrepareStep([remote], { model: 'gemini-2.5-flash' }),
      });
    };

    const runner = connect();
    const paused = await runner.run('count once');
    expect(paused.interruptions.map((p) => p.toolName)).toEqual(['counter']);
    const saved = JSON.stringify(paused.state);
    for (const p of paused.interruptions) paused.state.approve(p.callId);
    expect((await runner.run(paused.state)).text).toBe('Counted: 1');

    // As in another process: a new connection to the MCP server, the state from JSON.
    const state = RunState.fromJSON(saved);
    for (const p of state.interruptions) state.approve(p.callId);
    expect((await connect().run(state)).text).toBe('Counted: 2');
    expect(fixture.state.calls.counter).toBe(2);
  });

  it('reconnects when the HTTP MCP server restarts in the middle of a run', async () => {
    const fixture = await httpFixture();
    const client = await interactions({
      rules: [
        CALL_COUNTER,
        {
          when: { tools: ['echo'], last: 'function_result' },
          respond: [{ type: 'function_call', name: 'echo', arguments: { text: 'after restart' } }],
        },
        { when: { last: 'function_result' }, respond: 'Done: {{last.result}}' },
      ],
    });
    const remote = remoteServer(fixture.url, { mode: 'client' });
    const byName = async (names: string[]): Promise<RunnerTool[]> =>
      (await remote.tools()).filter((t) => names.includes(t.name));
    const runner = new Runner({
      client,
      model: 'gemini-2.5-flash',
      prepareStep: async ({ step }) => {
        if (step === 1) return { tools: await byName(['counter', 'echo']) };
        if (step === 2) {
          // The server goes away and comes back between two tool calls (the client sees it go).
          await fixture.restart({ drain: true });
          return { tools: await byName(['echo']) };
        }
        return { tools: await byName(['counter']) };
      },
    });
    const result = await runner.run('count, then echo');
    expect(result.text).toBe('Done: echo: after restart');
    expect(fixture.state.calls).toMatchObject({ counter: 1, echo: 1 });
    expect(remote.sessions).toBe(2);
  });

  it('runs the same server hosted or bridged, under one policy, with the same answer', async () => {
    const fixture = await startHttpFixture();
    const mcp = mcpServerTool({ allowPrivateNetworks: true });
    const engine = createEngine({
      providers: [await createProviderRegistry().create('scripted')], // the default script
      tools: createServerToolRegistry([mcp]),
    });
    const server = createInteractionsServer({ port: 0, dbPath: ':memory:', engine });
    const { url } = await server.listen();
    cleanup.push(
      () => fixture.close(),
      () => mcp.close(),
      () => server.close(),
    );
    const client = new InteractionsClient({ baseUrl: url, apiKey: 'test', maxRetries: 0 });
    const weather = mcpServer({
      name: 'weather_service',
      transport: { type: 'http', url: fixture.url },
      allowTools: ['get_weather'],
    });
    cleanup.push(() => weather.close());
    const question = 'What is the weather like in Berlin today?';
    const answer = 'Here is what I found: Berlin: 21°C, sunny';

    // Alone, it is hosted: our server connects to the MCP server and runs the call.
    const hosted = await resolveMcpTools([weather], { model: 'gemini-2.5-flash' });
    expect(hosted.tools).toEqual([
      {
        type: 'mcp_server',
        name: 'weather_service',
        url: fixture.url,
        allowed_tools: [{ tools: ['get_weather'] }],
      },
    ]);
    const first = await new Runner({ client, model: 'gemini-2.5-flash', tools: hosted.tools }).run(question);
    expect(first.text).toBe(answer);
    expect(first.steps[0]?.output.map((i) => i.type)).toContain('mcp_server_tool_result');

    // Next to a function tool it is bridged: the run loop calls it client-side as a function tool.
    const getTime = tool({
      name: 'get_time',
      description: 'The time.',
      parameters: z.object({}),
      execute: () => 'noon',
    });
    const bridged = await resolveMcpTools([getTime, weather], { model: 'gemini-2.5-flash' });
    expect(bridged.decisions[0]?.mode).toBe('client');
    const second = await new Runner({ client, model: 'gemini-2.5-flash', tools: bridged.tools }).run(
      question,
    );
    expect(second.text).toBe(answer);
    expect(second.steps[0]?.toolCalls[0]).toMatchObject({
      name: 'get_weather',
      arguments: { location: 'Berlin' },
    });
    expect(fixture.state.calls.get_weather).toBe(2);
  });
});
