/**
 * Hosted `mcp_server` when a resumable MCP server (an SDK server with an event store) ends a call's answer
 * stream before the answer, end to end over loopback HTTP: our server (default scripted model) resumes the
 * stream with `Last-Event-ID` after `MCP_STREAM_RECONNECTION`'s delay and records the tool's result, which
 * the MCP server ran once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpFixture } from '../../mcp/test/fixtures/http-host.ts';
import { createEngine } from '../src/engine/engine.ts';
import { type McpServerServerTool, mcpServerTool } from '../src/mcp/index.ts';
import { createScripted } from '../src/providers/registry.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import { call, closeAll, startServer } from './helpers/server.ts';

const STEPS = { 'api-revision': '2026-05-20' };
const WEATHER = 'New York: 21°C, sunny';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await closeAll();
  for (const close of cleanup.splice(0).reverse()) await close();
});

describe('hosted mcp_server: an answer stream the MCP server ends before the answer', () => {
  it.each([
    ['answered while no stream is open (replayed on resume)', 0],
    ['answered after our server resumed the stream', 1_500],
  ])('records the result when %s, the tool run once', async (_, answerAfterMs) => {
    const fixture = await startHttpFixture({ resumable: true });
    // A call that waited for this timeout did not get its answer resumed: it would read "timed out".
    const mcp: McpServerServerTool = mcpServerTool({ allowPrivateNetworks: true, callTimeoutMs: 10_000 });
    cleanup.push(
      () => fixture.close(),
      () => mcp.close(),
    );
    const engine = createEngine({
      providers: [await createScripted({})],
      tools: createServerToolRegistry([mcp]),
    });
    const { url } = await startServer({ engine });
    fixture.endAnswerStreamOf('get_weather', { answerAfterMs });

    const res = await call(`${url}/v1beta/interactions`, {
      headers: STEPS,
      body: {
        model: 'gemini-2.5-flash',
        input: 'What is the weather like in New York today?',
        tools: [{ type: 'mcp_server', name: 'weather_service', url: fixture.url }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('completed');
    const result = res.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
    expect(result).toMatchObject({ server_name: 'weather_service', result: WEATHER });
    expect(result).not.toHaveProperty('is_error');
    expect(fixture.state.calls.get_weather).toBe(1);
    expect(fixture.resumedStreams).toBe(1);
    expect(fixture.sessions).toBe(1);
  });
});
