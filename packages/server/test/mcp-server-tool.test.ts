/** The `mcp_server` server tool on its own: listing (cache, list_changed), sessions, restarts, cancel. */
import type { Item, McpServerTool } from '@interplay/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHttpFixture } from '../../mcp/test/fixtures/http-host.ts';
import { type McpServerServerTool, mcpServerTool } from '../src/mcp/index.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: Parameters<typeof mcpServerTool>[0] = {}) {
  const fixture = await startHttpFixture();
  const tool = mcpServerTool({ allowPrivateNetworks: true, ...options });
  cleanup.push(
    () => fixture.close(),
    () => tool.close(),
  );
  const decl: McpServerTool = { type: 'mcp_server', name: 'fx', url: fixture.url };
  return { fixture, tool, decl };
}

const mcpCall = (name: string, args: Record<string, unknown> = {}): Item =>
  ({ type: 'mcp_server_tool_call', id: 'call_1', name, server_name: 'fx', arguments: args }) as Item;

function run(
  tool: McpServerServerTool,
  decl: McpServerTool,
  item: Item,
  signal = new AbortController().signal,
) {
  return tool.execute(item, { declaration: decl, signal, interactionId: 'v1_test' });
}

describe('mcp_server server tool', () => {
  it('lists the tools a declaration offers, filtered by allowed_tools', async () => {
    const { tool, decl } = await setup();
    const all = await tool.listTools(decl);
    expect(all.map((t) => t.name)).toContain('get_weather');
    expect(all.find((t) => t.name === 'echo')?.inputSchema).toMatchObject({
      properties: { text: { type: 'string' } },
    });
    const some = await tool.listTools({ ...decl, allowed_tools: [{ tools: ['echo', 'add'] }] });
    expect(some.map((t) => t.name)).toEqual(['echo', 'add']);
  });

  it('caches a list per url and headers, and drops it on tools/list_changed', async () => {
    const { tool, decl, fixture } = await setup();
    const first = await tool.listTools(decl);
    expect(await tool.listTools(decl)).toEqual(first);
    expect(fixture.sessions).toBe(1);
    await tool.listTools({ ...decl, headers: { authorization: 'Bearer other' } });
    expect(fixture.sessions).toBe(2); // other credentials, other session
    fixture.addTool('late_tool');
    await vi.waitFor(
      async () => expect((await tool.listTools(decl)).map((t) => t.name)).toContain('late_tool'),
      {
        timeout: 5_000,
        interval: 50,
      },
    );
  });

  it('still hears tools/list_changed after the MCP server ended its notification stream', async () => {
    const { tool, decl, fixture } = await setup();
    await tool.listTools(decl);
    await vi.waitFor(() => expect(fixture.notificationStreams).toBe(1), { timeout: 5_000, interval: 20 });
    fixture.closeNotificationStreams();
    // The session opens its stream again (after the SDK's reconnection delay, 1 s), and hears the change.
    await vi.waitFor(() => expect(fixture.notificationStreams).toBe(2), { timeout: 5_000, interval: 20 });
    fixture.addTool('late_tool');
    await vi.waitFor(
      async () => expect((await tool.listTools(decl)).map((t) => t.name)).toContain('late_tool'),
      { timeout: 5_000, interval: 50 },
    );
    expect(fixture.sessions).toBe(1);
  });

  it('maps structured, error and image results', async () => {
    const { tool, decl } = await setup();
    expect(await run(tool, decl, mcpCall('add', { a: 1, b: 2 }))).toMatchObject({
      type: 'mcp_server_tool_result',
      call_id: 'call_1',
      result: { sum: 3 },
    });
    const failed = await run(tool, decl, mcpCall('fail', { reason: 'nope' }));
    expect(failed).toMatchObject({ is_error: true, result: 'failed: nope' });
    expect((await run(tool, decl, mcpCall('picture'))).result).toEqual([
      { type: 'text', text: 'a red dot' },
      { type: 'image', data: 'iVBORw0KGgo=', mime_type: 'image/png' },
    ]);
  });

  it('reuses one session across calls and replaces it after a restart', async () => {
    const { tool, decl, fixture } = await setup();
    await run(tool, decl, mcpCall('echo', { text: 'a' }));
    await run(tool, decl, mcpCall('echo', { text: 'b' }));
    expect(fixture.sessions).toBe(1);
    await fixture.restart();
    await new Promise((r) => setTimeout(r, 50));
    expect(await run(tool, decl, mcpCall('echo', { text: 'c' }))).toMatchObject({ result: 'echo: c' });
    expect(fixture.sessions).toBe(2);
  });

  it('cancels the MCP request when the signal aborts', async () => {
    const { tool, decl, fixture } = await setup();
    const abort = new AbortController();
    const pending = run(tool, decl, mcpCall('slow', { ms: 5_000 }), abort.signal);
    setTimeout(() => abort.abort(new Error('cancelled')), 100);
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(fixture.state.cancelled).toBe(1), { timeout: 3_000 });
  });

  it('turns a call timeout into an is_error result', async () => {
    const { tool, decl } = await setup({ callTimeoutMs: 150 });
    expect(await run(tool, decl, mcpCall('slow', { ms: 5_000 }))).toMatchObject({
      is_error: true,
      result: expect.stringMatching(/timed out/i),
    });
  });
});
