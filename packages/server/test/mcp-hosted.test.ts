/**
 * Hosted `mcp_server` over HTTP, end to end: our Interactions server (default scripted model) connects to a
 * real MCP server (SDK, Streamable HTTP on 127.0.0.1), runs the model's `mcp_server_tool_call` and records the
 * result — in both wire revisions, unary and streamed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '../../mcp/test/fixtures/http-host.ts';
import { createEngine } from '../src/engine/engine.ts';
import { type McpServerServerTool, mcpServerTool } from '../src/mcp/index.ts';
import { createScripted } from '../src/providers/registry.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import { call, closeAll, events, startServer, type TestServer } from './helpers/server.ts';

const STEPS = { 'api-revision': '2026-05-20' };
const LEGACY = { 'api-revision': '2026-05-07' };
const QUESTION = 'What is the weather like in New York today?';

let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(async () => {
  await fixture.close();
});

const tools: McpServerServerTool[] = [];
afterEach(async () => {
  await closeAll();
  for (const t of tools.splice(0)) await t.close();
});

async function serve(
  options: Parameters<typeof mcpServerTool>[0] = { allowPrivateNetworks: true },
): Promise<TestServer> {
  const mcp = mcpServerTool(options);
  tools.push(mcp);
  const engine = createEngine({
    providers: [await createScripted({})],
    tools: createServerToolRegistry([mcp]),
  });
  return startServer({ engine });
}

const weather = (extra: Record<string, unknown> = {}) => ({
  type: 'mcp_server',
  name: 'weather_service',
  url: fixture.url,
  ...extra,
});

const body = (tool: object, extra: Record<string, unknown> = {}) => ({
  model: 'gemini-2.5-flash',
  input: QUESTION,
  tools: [tool],
  system_instruction: 'Today is 21 November 2026.',
  ...extra,
});

describe('hosted mcp_server', () => {
  it('runs the call and records call and result as steps (steps revision)', async () => {
    const { url } = await serve();
    const before = fixture.state.calls.get_weather ?? 0;
    const res = await call(`${url}/v1beta/interactions`, { headers: STEPS, body: body(weather()) });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('completed');
    const steps = res.json.steps;
    const callStep = steps.find((s: { type: string }) => s.type === 'mcp_server_tool_call');
    expect(callStep).toMatchObject({
      name: 'get_weather',
      server_name: 'weather_service',
      arguments: { location: 'New York' },
    });
    expect(steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result')).toEqual({
      type: 'mcp_server_tool_result',
      call_id: callStep.id,
      name: 'get_weather',
      server_name: 'weather_service',
      result: 'New York: 21°C, sunny',
    });
    expect(steps.at(-1)).toMatchObject({
      type: 'model_output',
      content: [{ type: 'text', text: 'Here is what I found: New York: 21°C, sunny' }],
    });
    expect(fixture.state.calls.get_weather).toBe(before + 1);
  });

  it('records them as outputs in the legacy revision, as the seed example reads them', async () => {
    const { url } = await serve();
    const res = await call(`${url}/v1beta/interactions`, { headers: LEGACY, body: body(weather()) });
    expect(res.status).toBe(200);
    const outputs = res.json.outputs;
    expect(outputs.map((o: { type: string }) => o.type)).toEqual([
      'mcp_server_tool_call',
      'mcp_server_tool_result',
      'text',
    ]);
    expect(outputs[1]).toMatchObject({ call_id: outputs[0].id, result: 'New York: 21°C, sunny' });
    expect(outputs.at(-1).text).toBe('Here is what I found: New York: 21°C, sunny');
  });

  it('streams the call and the result in both revisions', async () => {
    const { url } = await serve();
    const steps = events(
      (await call(`${url}/v1beta/interactions`, { headers: STEPS, body: body(weather(), { stream: true }) }))
        .text,
    );
    const started = steps.filter((e) => e.event_type === 'step.start').map((e) => e.step.type);
    expect(started).toEqual(['mcp_server_tool_call', 'mcp_server_tool_result', 'model_output']);
    const result = steps.find(
      (e) => e.event_type === 'step.start' && e.step.type === 'mcp_server_tool_result',
    );
    expect(result.step.result).toBe('New York: 21°C, sunny');
    expect(steps.at(-1)).toMatchObject({ event_type: 'interaction.completed' });

    const legacy = events(
      (await call(`${url}/v1beta/interactions`, { headers: LEGACY, body: body(weather(), { stream: true }) }))
        .text,
    );
    const kinds = legacy.filter((e) => e.event_type === 'content.start').map((e) => e.content.type);
    expect(kinds).toEqual(['mcp_server_tool_call', 'mcp_server_tool_result', 'text']);
    const deltas = legacy.filter((e) => e.event_type === 'content.delta').map((e) => e.delta);
    expect(deltas[0]).toMatchObject({
      type: 'mcp_server_tool_call',
      name: 'get_weather',
      server_name: 'weather_service',
    });
    expect(deltas[1]).toMatchObject({ type: 'mcp_server_tool_result', result: 'New York: 21°C, sunny' });
    expect(legacy.at(-1)).toMatchObject({ event_type: 'interaction.complete' });
  });

  it('forwards the declared headers to the MCP server', async () => {
    const { url } = await serve();
    const seen = fixture.headers.length;
    const headers = { authorization: 'Bearer sekret', 'x-tenant': 'acme' };
    const res = await call(`${url}/v1beta/interactions`, {
      headers: STEPS,
      body: body(weather({ headers })),
    });
    expect(res.json.status).toBe('completed');
    const mine = fixture.headers.slice(seen);
    expect(mine.length).toBeGreaterThan(0);
    for (const h of mine) expect(h).toMatchObject({ authorization: 'Bearer sekret', 'x-tenant': 'acme' });
  });

  it('answers a call to a tool outside allowed_tools with an is_error result', async () => {
    const { url } = await serve();
    const before = fixture.state.calls.get_weather ?? 0;
    const tool = weather({ allowed_tools: [{ tools: ['echo'] }] });
    const res = await call(`${url}/v1beta/interactions`, { headers: STEPS, body: body(tool) });
    expect(res.json.status).toBe('completed');
    const result = res.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
    expect(result).toMatchObject({ is_error: true, result: expect.stringMatching(/not in allowed_tools/) });
    expect(fixture.state.calls.get_weather ?? 0).toBe(before);
  });

  it('turns an unreachable MCP server into an is_error result and completes', async () => {
    const { url } = await serve({ allowPrivateNetworks: true, connectTimeoutMs: 2_000 });
    const down = await startHttpFixture();
    await down.close();
    const res = await call(`${url}/v1beta/interactions`, {
      headers: STEPS,
      body: body(weather({ url: down.url })),
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('completed');
    const result = res.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
    expect(result).toMatchObject({ is_error: true, server_name: 'weather_service' });
    expect(result.result).toMatch(/could not connect/);
  });

  it('refuses loopback MCP servers unless private networks are allowed', async () => {
    const { url } = await serve({});
    const res = await call(`${url}/v1beta/interactions`, { headers: STEPS, body: body(weather()) });
    expect(res.json.status).toBe('completed');
    const result = res.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
    expect(result).toMatchObject({ is_error: true, result: expect.stringMatching(/private or loopback/) });
  });

  it("rejects a server name with '-' with a 400 naming tools[i].name", async () => {
    const { url } = await serve();
    const res = await call(`${url}/v1beta/interactions`, {
      headers: STEPS,
      body: { ...body(weather()), tools: [{ type: 'url_context' }, weather({ name: 'weather-service' })] },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.message).toMatch(/tools\[1\]\.name/);
  });
});
