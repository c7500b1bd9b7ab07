/**
 * Hosted `mcp_server` when the MCP server's connection is lost, end to end over loopback HTTP: our server
 * (default scripted model) and a real MCP server (SDK, Streamable HTTP on 127.0.0.1) that forgets its sessions,
 * restarts, drops a call's connection after running it, or — resumable, with an event store — ends a call's
 * answer stream before the answer. A call the MCP server certainly did not run is retried on a new session; one
 * that may have run is not (a tool may have side effects) and becomes an `is_error` result; an answer stream
 * ended on purpose is resumed with `Last-Event-ID` after `MCP_STREAM_RECONNECTION`'s delay. The MCP server
 * counts the tool's runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '../../mcp/test/fixtures/http-host.ts';
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

/**
 * An MCP server and our server using it. The call timeout is far longer than any answer here: a call that
 * reads "timed out" waited for it instead of failing when its connection was lost (or resumed).
 */
async function startHosted(
  options: { resumable?: boolean } = {},
): Promise<{ fixture: HttpFixture; ask: () => Promise<Record<string, unknown>> }> {
  const fixture = await startHttpFixture(options);
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
  const ask = async () => {
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
    return res.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
  };
  return { fixture, ask };
}

/** {@link startHosted} with a session open: one call answered. */
async function setup(): Promise<{ fixture: HttpFixture; ask: () => Promise<Record<string, unknown>> }> {
  const hosted = await startHosted();
  expect(await hosted.ask()).toMatchObject({ result: WEATHER });
  expect(hosted.fixture.state.calls.get_weather).toBe(1);
  return hosted;
}

describe('hosted mcp_server: a call the MCP server did not run', () => {
  it('is retried on a new session when the MCP server no longer knows the session (404)', async () => {
    const { fixture, ask } = await setup();
    await fixture.expireSessions(); // its streams end normally: the next request is the first to learn
    const result = await ask();
    expect(result).toMatchObject({ result: WEATHER });
    expect(result).not.toHaveProperty('is_error');
    expect(fixture.state.calls.get_weather).toBe(2); // the tool ran once for this call
    expect(fixture.sessions).toBe(2);
  });

  it('runs on a new session after the MCP server restarted between two calls', async () => {
    const { fixture, ask } = await setup();
    // Its streams break: the session is replaced before the call (else the 404 above would be retried).
    await fixture.restart({ drain: true });
    expect(await ask()).toMatchObject({ result: WEATHER });
    expect(fixture.state.calls.get_weather).toBe(2);
    expect(fixture.sessions).toBe(2);
  });
});

describe('hosted mcp_server: a call the MCP server may have run', () => {
  // What the client saw: the fetch failed (no byte of the answer), or the answer's SSE stream broke — then the
  // session is closed at once, and the result is not "Request timed out" after the call timeout.
  it.each([
    ['before the answer starts', 'before_headers', /may have run\): fetch failed \(UND_ERR_SOCKET\)$/],
    [
      'after the answer stream opened',
      'after_headers',
      /may have run\): MCP error -32000: Connection closed$/,
    ],
  ] as const)('is an is_error result, not retried, when the connection dies %s', async (_, at, error) => {
    const { fixture, ask } = await setup();
    fixture.dropAnswerTo('get_weather', at);
    expect(await ask()).toMatchObject({
      is_error: true,
      server_name: 'weather_service',
      result: expect.stringMatching(error),
    });
    expect(fixture.state.calls.get_weather).toBe(2); // ran once, not again
    expect(await ask()).toMatchObject({ result: WEATHER }); // the next call gets a working session
    expect(fixture.state.calls.get_weather).toBe(3);
  });
});

describe('hosted mcp_server: an answer stream a resumable MCP server ends before the answer', () => {
  it.each([
    ['answered while no stream is open (replayed on resume)', 0],
    ['answered after our server resumed the stream', 1_500],
  ])('records the result when %s, the tool run once', async (_, answerAfterMs) => {
    const { fixture, ask } = await startHosted({ resumable: true });
    fixture.endAnswerStreamOf('get_weather', { answerAfterMs });
    const result = await ask();
    expect(result).toMatchObject({ server_name: 'weather_service', result: WEATHER });
    expect(result).not.toHaveProperty('is_error');
    expect(fixture.state.calls.get_weather).toBe(1);
    expect(fixture.resumedStreams).toBe(1);
    expect(fixture.sessions).toBe(1);
  });
});
