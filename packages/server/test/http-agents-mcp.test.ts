/**
 * A custom agent whose tool is a hosted `mcp_server`: invoked by name, the server connects to the real MCP
 * server (SDK, Streamable HTTP on 127.0.0.1) and runs the call itself (default scripted model).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '../../mcp/test/fixtures/http-host.ts';
import { createEngine } from '../src/engine/engine.ts';
import { type McpServerServerTool, mcpServerTool } from '../src/mcp/index.ts';
import { createScripted } from '../src/providers/registry.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import { call, closeAll, startServer } from './helpers/server.ts';

let fixture: HttpFixture;
let mcp: McpServerServerTool;
beforeAll(async () => {
  fixture = await startHttpFixture();
  mcp = mcpServerTool({ allowPrivateNetworks: true });
});
afterAll(async () => {
  await closeAll();
  await mcp.close();
  await fixture.close();
});

describe('a custom agent with an MCP server', () => {
  it('runs its mcp_server tool on the server when invoked by name in the background', async () => {
    const engine = createEngine({
      providers: [await createScripted({})],
      tools: createServerToolRegistry([mcp]),
    });
    const { url } = await startServer({ engine });
    const created = await call(`${url}/v1beta/agents`, {
      body: {
        id: 'weather-bot',
        base_agent: 'gemini-2.5-flash',
        system_instruction: 'Today is 21 November 2026.',
        tools: [{ type: 'mcp_server', name: 'weather_service', url: fixture.url }],
      },
    });
    expect(created.status).toBe(200);
    const before = fixture.state.calls.get_weather ?? 0;
    const started = await call(`${url}/v1beta/interactions`, {
      body: { agent: 'weather-bot', input: 'What is the weather like in New York today?', background: true },
    });
    expect(started.status).toBe(200);
    const done = await call(`${url}/v1beta/interactions/${started.json.id}?stream=true`);
    expect(done.status).toBe(200);
    const final = await call(`${url}/v1beta/interactions/${started.json.id}`);
    expect(final.json.status).toBe('completed');
    expect(final.json.agent).toBe('weather-bot');
    const result = final.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
    expect(result).toMatchObject({ server_name: 'weather_service', result: 'New York: 21°C, sunny' });
    expect(fixture.state.calls.get_weather).toBe(before + 1);
  });
});
