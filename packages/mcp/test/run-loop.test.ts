/**
 * MCP tools in core's run loop, end to end: Runner → our Interactions server (scripted model) → function
 * calls → MCP servers (a stdio child and an HTTP server restarted mid-run).
 */
import { fileURLToPath } from 'node:url';
import { Runner, type RunnerTool } from '@interplay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { InteractionsClient } from '../../client/src/index.ts';
import { createInteractionsServer } from '../../server/src/index.ts';
import { type McpServerHandle, mcpServer, mcpToolErrors } from '../src/index.ts';
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

  it('reconnects when the HTTP MCP server restarts in the middle of a run', async () => {
    const fixture = await startHttpFixture();
    cleanup.push(() => fixture.close());
    const client = await interactions({
      rules: [
        {
          when: { tools: ['counter'], last: 'user_input' },
          respond: [{ type: 'function_call', name: 'counter', arguments: {} }],
        },
        {
          when: { tools: ['echo'], last: 'function_result' },
          respond: [{ type: 'function_call', name: 'echo', arguments: { text: 'after restart' } }],
        },
        { when: { last: 'function_result' }, respond: 'Done: {{last.result}}' },
      ],
    });
    const remote = mcpServer({
      name: 'remote',
      transport: { type: 'http', url: fixture.url },
      mode: 'client',
    });
    cleanup.push(() => remote.close());
    const byName = async (names: string[]): Promise<RunnerTool[]> =>
      (await remote.tools()).filter((t) => names.includes(t.name));
    const runner = new Runner({
      client,
      model: 'gemini-2.5-flash',
      prepareStep: async ({ step }) => {
        if (step === 1) return { tools: await byName(['counter', 'echo']) };
        if (step === 2) {
          await fixture.restart(); // the server goes away and comes back between two tool calls
          await new Promise((r) => setTimeout(r, 50));
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
});
