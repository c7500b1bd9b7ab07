/**
 * The hosted MCP session pool (through the `mcp_server` server tool) retrying on a new session after the
 * connection to a real SDK MCP server broke: the server forgot the session (404), restarted on the same port
 * (its sockets closed under the pool), or cut the connection of a request it had read. A list and a tool the
 * server annotates read-only are retried whatever the break; any other `tools/call` only when it certainly did
 * not run. The MCP server counts lists and each tool's runs.
 */
import type { Item, McpServerTool } from '@interplay/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpFixture } from '../../mcp/test/fixtures/http-host.ts';
import { mcpServerTool } from '../src/mcp/index.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Cache off (every list reaches the MCP server); calls time out far later than any answer here. */
async function setup() {
  const fixture = await startHttpFixture();
  const tool = mcpServerTool({ allowPrivateNetworks: true, cacheTtlMs: 0, callTimeoutMs: 10_000 });
  cleanup.push(
    () => fixture.close(),
    () => tool.close(),
  );
  const decl: McpServerTool = { type: 'mcp_server', name: 'fx', url: fixture.url };
  const list = async () => (await tool.listTools(decl)).map((t) => t.name);
  const callTool = (name: string, args: Record<string, unknown> = {}) =>
    tool.execute(
      { type: 'mcp_server_tool_call', id: 'call_1', name, server_name: 'fx', arguments: args } as Item,
      { declaration: decl, signal: new AbortController().signal, interactionId: 'v1_test' },
    );
  expect(await list()).toContain('add'); // a session is open
  expect(fixture.toolLists).toBe(1);
  return { fixture, list, callTool };
}

const CUTS = [
  ['before the answer starts', 'before_headers'],
  ['after the answer stream opened', 'after_headers'],
] as const;

describe('hosted MCP: a list after the connection broke', () => {
  it('is retried on a new session when the MCP server no longer knows the session (404)', async () => {
    const { fixture, list } = await setup();
    await fixture.expireSessions();
    expect(await list()).toContain('add');
    expect(fixture.toolLists).toBe(2); // the 404 never reached the session; the retry did
    expect(fixture.sessions).toBe(2);
  });

  it('gets the list after the MCP server restarted on the same port, its sockets closed', async () => {
    const { fixture, list } = await setup();
    await fixture.restart(); // no drain: the next request may hit a socket closed under it
    expect(await list()).toContain('add');
    expect(fixture.sessions).toBe(2);
  });

  it.each(CUTS)('is retried when the connection is cut %s (it was read)', async (_, at) => {
    const { fixture, list } = await setup();
    fixture.dropListAnswer(at);
    expect(await list()).toContain('add');
    expect(fixture.toolLists).toBe(3); // the one cut, then the retry
    expect(fixture.sessions).toBe(2);
  });
});

describe('hosted MCP: a tool call after the connection broke', () => {
  it('of a read-only tool runs once on a new session after the MCP server restarted', async () => {
    const { fixture, callTool } = await setup();
    expect(await callTool('add', { a: 1, b: 1 })).toMatchObject({ result: { sum: 2 } });
    await fixture.restart();
    expect(await callTool('add', { a: 2, b: 2 })).toMatchObject({ result: { sum: 4 } });
    expect(fixture.state.calls.add).toBe(2); // the request on the old session never reached a tool
    expect(fixture.sessions).toBe(2);
  });

  it.each(CUTS)(
    'of a read-only tool (readOnlyHint) is retried when the connection is cut %s',
    async (_, at) => {
      const { fixture, callTool } = await setup();
      fixture.dropAnswerTo('add', at);
      const result = await callTool('add', { a: 2, b: 3 });
      expect(result).toMatchObject({ result: { sum: 5 } });
      expect(result).not.toHaveProperty('is_error');
      expect(fixture.state.calls.add).toBe(2); // the run whose answer was lost, and the retry
      expect(fixture.sessions).toBe(2);
    },
  );

  it.each(CUTS)('of a tool with side effects is not retried when the connection is cut %s', async (_, at) => {
    const { fixture, callTool } = await setup();
    fixture.dropAnswerTo('counter', at);
    expect(await callTool('counter')).toMatchObject({
      is_error: true,
      result: expect.stringMatching(/the connection was lost during the call \(it may have run\)/),
    });
    expect(fixture.state.calls.counter).toBe(1); // ran once, not again
    expect(await callTool('counter')).toMatchObject({ result: '2' }); // the next call gets a new session
    expect(fixture.sessions).toBe(2);
  });
});
