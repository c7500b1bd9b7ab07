/** Resolving MCP servers in a tool list: hosted vs bridged, one policy for both, name clashes. */
import { type AnyTool, tool } from '@interplay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  McpConfigError,
  McpDuplicateToolError,
  type McpServerOptions,
  mcpServer,
  resolveMcpTools,
} from '../src/index.ts';
import { type HttpFixture, startHttpFixture } from './fixtures/http-host.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function fixture(): Promise<HttpFixture> {
  const f = await startHttpFixture();
  cleanup.push(() => f.close());
  return f;
}

function attach(options: McpServerOptions) {
  const server = mcpServer(options);
  cleanup.push(() => server.close());
  return server;
}

const getTime = tool({
  name: 'get_time',
  description: 'The time.',
  parameters: z.object({}),
  execute: () => '12:00',
});
const functionNames = (tools: unknown[]) =>
  tools.filter((t): t is AnyTool => (t as AnyTool).kind === 'function_tool').map((t) => t.name);

describe('resolveMcpTools', () => {
  it('passes an HTTP server to the API as a hosted mcp_server tool', async () => {
    const f = await fixture();
    const weather = attach({
      name: 'weather_service',
      transport: { type: 'http', url: f.url, headers: { authorization: 'Bearer k' } },
      allowTools: ['get_weather'],
    });
    const { tools, decisions } = await resolveMcpTools([weather], { model: 'gemini-2.5-flash' });
    expect(tools).toEqual([
      {
        type: 'mcp_server',
        name: 'weather_service',
        url: f.url,
        headers: { authorization: 'Bearer k' },
        allowed_tools: [{ tools: ['get_weather'] }],
      },
    ]);
    expect(decisions[0]?.mode).toBe('hosted');
    expect(weather.connected).toBe(false); // a static allow list needs no connection
  });

  it('applies the same filter to the hosted and the bridged form', async () => {
    const f = await fixture();
    const policy = {
      allowTools: (t: { name: string }) => /^(echo|add|fail)$/.test(t.name),
      denyTools: ['fail'],
    };
    const hosted = attach({ name: 'fx', transport: { type: 'http', url: f.url }, mode: 'hosted', ...policy });
    const client = attach({ name: 'fx', transport: { type: 'http', url: f.url }, mode: 'client', ...policy });
    const [decl] = (await resolveMcpTools([hosted])).tools;
    expect(decl).toMatchObject({ allowed_tools: [{ tools: ['echo', 'add'] }] });
    expect(functionNames((await resolveMcpTools([client])).tools)).toEqual(['echo', 'add']);
  });

  it('bridges when the request also has function tools, and carries approval and timeout', async () => {
    const f = await fixture();
    const fx = attach({
      name: 'fx',
      transport: { type: 'http', url: f.url },
      allowTools: ['echo', 'counter'],
      needsApproval: ['counter'],
      timeoutMs: 1_234,
    });
    const { tools, decisions } = await resolveMcpTools([getTime, fx], { model: 'gemini-2.5-flash' });
    expect(decisions[0]).toMatchObject({ mode: 'client', reason: expect.stringMatching(/approval/) });
    expect(functionNames(tools)).toEqual(['get_time', 'echo', 'counter']);
    const byName = new Map((tools as AnyTool[]).map((t) => [t.name, t]));
    expect(byName.get('counter')?.needsApproval).toBe(true);
    expect(byName.get('echo')?.needsApproval).toBe(false);
    expect(byName.get('echo')?.timeoutMs).toBe(1_234);
  });

  it('refuses two servers whose tool names clash, unless prefixes keep them apart', async () => {
    const [a, b] = [await fixture(), await fixture()];
    const one = attach({ name: 'one', transport: { type: 'http', url: a.url }, mode: 'client' });
    const two = attach({ name: 'two', transport: { type: 'http', url: b.url }, mode: 'client' });
    const error = await resolveMcpTools([one, two]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpDuplicateToolError);
    expect((error as Error).message).toMatch(/"one" and "two".*prefix/);

    const oneP = attach({
      name: 'one',
      transport: { type: 'http', url: a.url },
      mode: 'client',
      prefix: 'one',
    });
    const twoP = attach({
      name: 'two',
      transport: { type: 'http', url: b.url },
      mode: 'client',
      prefix: 'two',
    });
    const names = functionNames((await resolveMcpTools([oneP, twoP])).tools);
    expect(names).toContain('one_echo');
    expect(names).toContain('two_echo');
    const echo2 = (await twoP.tools()).find((t) => t.name === 'two_echo')!;
    await (echo2.execute as (a: unknown, c: unknown) => Promise<unknown>)(
      { text: 'x' },
      { signal: new AbortController().signal },
    );
    expect(b.state.calls.echo).toBe(1);
    expect(a.state.calls.echo).toBeUndefined();
  });

  it('refuses an MCP tool that clashes with one of your tools', async () => {
    const f = await fixture();
    const fx = attach({
      name: 'fx',
      transport: { type: 'http', url: f.url },
      mode: 'client',
      allowTools: ['echo'],
    });
    const echo = tool({ name: 'echo', description: 'mine', parameters: z.object({}), execute: () => '' });
    await expect(resolveMcpTools([echo, fx])).rejects.toThrow(/"your tools" and "fx"/);
  });

  it('refuses hosted names the API rejects', async () => {
    const fx = attach({
      name: 'weather-service',
      transport: { type: 'http', url: 'http://127.0.0.1:1/mcp' },
    });
    await expect(fx.hostedTool()).rejects.toThrow(McpConfigError);
    await expect(fx.hostedTool()).rejects.toThrow(/weather_service/);
  });
});
