/** Client-side MCP over Streamable HTTP, against a real SDK server on 127.0.0.1. */
import type { ToolContext } from '@interplay/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { McpConnectionError, type McpServerHandle, McpToolError, mcpServer } from '../src/index.ts';
import { startHttpFixture } from './fixtures/http-host.ts';
import { LONG_TOOL_NAME } from './fixtures/tools.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: Partial<Parameters<typeof mcpServer>[0]> = {}) {
  const fixture = await startHttpFixture();
  const server = mcpServer({ name: 'fixture', transport: { type: 'http', url: fixture.url }, ...options });
  cleanup.push(
    () => fixture.close(),
    () => server.close(),
  );
  return { fixture, server };
}

const ctx = (signal = new AbortController().signal): ToolContext =>
  ({ signal, callId: 'c1', toolName: 't', step: 1, runId: 'r', context: undefined }) as ToolContext;

async function run(server: McpServerHandle, fnName: string, args: Record<string, unknown>) {
  const t = (await server.tools()).find((x) => x.name === fnName);
  if (!t) throw new Error(`no tool ${fnName}`);
  return (t.execute as (a: unknown, c: ToolContext) => Promise<unknown>)(args, ctx());
}

describe('client-side MCP over HTTP', () => {
  it('lists tools as Gemini-safe function declarations', async () => {
    const { server } = await setup();
    const tools = await server.tools();
    const echo = tools.find((t) => t.name === 'echo');
    expect(echo?.declaration).toEqual({
      type: 'function',
      name: 'echo',
      description: 'Echoes the text back.',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    });
    for (const t of tools) {
      expect(t.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
      expect(JSON.stringify(t.declaration)).not.toMatch(/\$schema|additionalProperties/);
    }
  });

  it('calls a tool and returns its text', async () => {
    const { server, fixture } = await setup();
    expect(await run(server, 'echo', { text: 'hi' })).toBe('echo: hi');
    expect(fixture.state.calls.echo).toBe(1);
  });

  it('returns structuredContent as the result', async () => {
    const { server } = await setup();
    expect(await run(server, 'add', { a: 2, b: 3 })).toEqual({ sum: 5 });
  });

  it('maps isError to an McpToolError, error content winning over structuredContent', async () => {
    const { server } = await setup();
    const error = await run(server, 'fail', { reason: 'boom' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpToolError);
    expect((error as McpToolError).result).toBe('failed: boom');
    const raw = await server.callTool('fail', { reason: 'x' });
    expect(raw).toEqual({ value: 'failed: x', isError: true, text: 'failed: x' });
  });

  it('maps text and image content to content parts', async () => {
    const { server } = await setup();
    expect(await run(server, 'picture', {})).toEqual([
      { type: 'text', text: 'a red dot' },
      { type: 'image', data: 'iVBORw0KGgo=', mime_type: 'image/png' },
    ]);
  });

  it('validates arguments locally before calling', async () => {
    const { server } = await setup();
    const echo = (await server.tools()).find((t) => t.name === 'echo');
    expect(echo?.validate({ text: 3 }).ok).toBe(false);
    expect(echo?.validate({ text: 'ok' }).ok).toBe(true);
  });

  it('maps invalid names to valid ones and back', async () => {
    const { server, fixture } = await setup();
    const names = (await server.tools()).map((t) => t.name);
    expect(names).toContain('get_weather_v2');
    expect(names).toContain('_2fa_check');
    const long = server.functionName(LONG_TOOL_NAME);
    expect(long?.length).toBeLessThanOrEqual(64);
    expect(names).toContain(long);
    expect(server.mcpToolName('get_weather_v2')).toBe('get-weather.v2');
    expect(await run(server, 'get_weather_v2', { value: 'a' })).toBe('get-weather.v2 got a');
    expect(await run(server, '_2fa_check', { value: 'b' })).toBe('2fa-check got b');
    expect(await run(server, long ?? '', { value: 'c' })).toBe(`${LONG_TOOL_NAME} got c`);
    expect(fixture.state.calls['get-weather.v2']).toBe(1);
  });

  it('applies allow and deny filters (names and predicates) and prefixes', async () => {
    const { server } = await setup({
      allowTools: (t) => !t.name.includes('-') && t.name !== LONG_TOOL_NAME,
      denyTools: ['fail', 'slow'],
      prefix: 'fx',
    });
    const names = (await server.tools()).map((t) => t.name).sort();
    expect(names).toEqual(['fx_add', 'fx_counter', 'fx_echo', 'fx_get_weather', 'fx_picture', 'fx_pid']);
    expect((await server.listTools()).map((t) => t.name)).not.toContain('fail');
  });

  it('forwards transport headers to the server', async () => {
    const headers = { authorization: 'Bearer t0k3n', 'x-team': 'qa' };
    const fixture = await startHttpFixture();
    const server = mcpServer({ name: 'fixture', transport: { type: 'http', url: fixture.url, headers } });
    cleanup.push(
      () => fixture.close(),
      () => server.close(),
    );
    await server.callTool('echo', { text: 'x' });
    expect(fixture.headers.length).toBeGreaterThan(1);
    for (const h of fixture.headers) {
      expect(h.authorization).toBe('Bearer t0k3n');
      expect(h['x-team']).toBe('qa');
    }
  });

  it('caches the tool list until tools/list_changed', async () => {
    const { server, fixture } = await setup();
    const first = await server.tools();
    expect(await server.tools()).toBe(first);
    fixture.addTool('brand_new');
    await vi.waitFor(async () => expect((await server.tools()).map((t) => t.name)).toContain('brand_new'), {
      timeout: 5_000,
      interval: 50,
    });
    expect(await run(server, 'brand_new', {})).toBe('brand_new ran');
  });

  it('still hears tools/list_changed after the server ended its notification stream', async () => {
    const { server, fixture } = await setup();
    await server.tools();
    await vi.waitFor(() => expect(fixture.notificationStreams).toBe(1), { timeout: 5_000, interval: 20 });
    fixture.closeNotificationStreams();
    // The session opens its stream again (after the SDK's reconnection delay, 1 s), and hears the change.
    await vi.waitFor(() => expect(fixture.notificationStreams).toBe(2), { timeout: 5_000, interval: 20 });
    fixture.addTool('brand_new');
    await vi.waitFor(async () => expect((await server.tools()).map((t) => t.name)).toContain('brand_new'), {
      timeout: 5_000,
      interval: 50,
    });
    expect(server.sessions).toBe(1);
  });

  it('reconnects after the server restarts, without running a call twice', async () => {
    const { server, fixture } = await setup();
    expect(await run(server, 'counter', {})).toBe('1');
    // In a run, a model call separates tool calls: the client has seen the old connections close by then (a call
    // written to a half-closed socket may have run, so it is not retried: see the next test).
    await fixture.restart({ drain: true });
    // The old session is unknown to the new server (404): safe to retry on a new session.
    expect(await run(server, 'counter', {})).toBe('2');
    expect(fixture.state.calls.counter).toBe(2);
    expect(server.sessions).toBe(2);
    expect((await server.tools()).length).toBeGreaterThan(0);
  });

  it('retries a read-only tool on a new session even right after a restart', async () => {
    const { server, fixture } = await setup();
    await server.tools(); // annotations (readOnlyHint) come with the list
    expect((await server.callTool('add', { a: 1, b: 1 })).value).toEqual({ sum: 2 });
    await fixture.restart();
    expect((await server.callTool('add', { a: 2, b: 2 })).value).toEqual({ sum: 4 });
    expect(server.sessions).toBe(2);
  });

  it('fails a call at once when its answer stream breaks, without running it again', async () => {
    // The call timeout is far longer than the answer: "timed out" would mean the lost answer was waited for.
    const { server, fixture } = await setup({ timeoutMs: 10_000 });
    expect(await run(server, 'counter', {})).toBe('1');
    fixture.dropAnswerTo('counter', 'after_headers');
    const error = await server.callTool('counter', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpConnectionError);
    expect(String(error)).toMatch(
      /Connection closed\)\. It was not retried because the tool may already have run/,
    );
    expect(fixture.state.calls.counter).toBe(2);
    expect(await run(server, 'counter', {})).toBe('3');
  });

  it('retries a list and a read-only tool whose connection was cut after the server read them', async () => {
    const { server, fixture } = await setup({ timeoutMs: 10_000 });
    await server.tools(); // annotations (readOnlyHint) come with the list
    fixture.dropAnswerTo('add', 'after_headers');
    expect((await server.callTool('add', { a: 1, b: 2 })).value).toEqual({ sum: 3 });
    expect(fixture.state.calls.add).toBe(2); // the run whose answer was lost, and the retry
    fixture.dropListAnswer('before_headers');
    expect((await server.listTools()).map((t) => t.name)).toContain('add');
    expect(fixture.toolLists).toBe(3); // the first, the one cut, its retry
    expect(server.sessions).toBe(3);
  });

  it('fails cleanly while the server is down, and recovers when it is back', async () => {
    const { server, fixture } = await setup();
    await server.tools();
    await fixture.stop();
    const error = await server.callTool('echo', { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpConnectionError);
    await fixture.restart();
    expect((await server.callTool('echo', { text: 'back' })).value).toBe('echo: back');
  });

  it('times out a slow call and cancels it on the server', async () => {
    const { server, fixture } = await setup({ timeoutMs: 200 });
    const slow = (await server.tools()).find((t) => t.name === 'slow');
    expect(slow?.timeoutMs).toBe(200);
    const started = Date.now();
    const error = await server.callTool('slow', { ms: 5_000 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(String(error)).toMatch(/timed out/i);
    await vi.waitFor(() => expect(fixture.state.cancelled).toBe(1), { timeout: 3_000 });
  });

  it('aborts a call through the tool signal', async () => {
    const { server, fixture } = await setup();
    const slow = (await server.tools()).find((t) => t.name === 'slow')!;
    const abort = new AbortController();
    const pending = (slow.execute as (a: unknown, c: ToolContext) => Promise<unknown>)(
      { ms: 5_000 },
      ctx(abort.signal),
    );
    await vi.waitFor(() => expect(fixture.state.calls.slow).toBe(1), { timeout: 3_000 }); // the call is running
    abort.abort(new Error('stop'));
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(fixture.state.cancelled).toBe(1), { timeout: 3_000 });
  });

  it('reports an unreachable server as a connection error', async () => {
    const server = mcpServer({
      name: 'nowhere',
      transport: { type: 'http', url: await closedPortUrl() },
      connectTimeoutMs: 2_000,
    });
    cleanup.push(() => server.close());
    const error = await server.tools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpConnectionError);
    expect(String((error as Error).message)).toMatch(/nowhere/);
  });
});

/** A loopback URL nobody listens on (a port we bound and released). */
async function closedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}
