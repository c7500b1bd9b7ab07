/**
 * `weather_service`: a small MCP server built with the MCP SDK, with one tool, `get_weather({ location })`,
 * whose answers are deterministic (made up from the location's name, so runs are repeatable offline).
 *
 *   node examples/mcp/weather-server.ts            # Streamable HTTP on 127.0.0.1, a free port (printed)
 *   node examples/mcp/weather-server.ts --port 3001
 *   node examples/mcp/weather-server.ts --stdio    # over stdin/stdout, for client-side (stdio) use
 *
 * Other examples import `startWeatherServer()` to run it in-process on port 0.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type HostedMcpHttpServer, serveMcpOverHttp } from '@interplay/mcp';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const CONDITIONS = ['sunny', 'partly cloudy', 'overcast', 'light rain', 'windy', 'clear'];

/** The same location always gets the same weather. */
export function weatherFor(location: string): string {
  const digest = createHash('sha256').update(location.trim().toLowerCase()).digest();
  const celsius = 5 + ((digest[0] ?? 0) % 25);
  const condition = CONDITIONS[(digest[1] ?? 0) % CONDITIONS.length];
  return `${location.trim()}: ${celsius}°C (${Math.round(celsius * 1.8 + 32)}°F), ${condition}, humidity ${40 + ((digest[2] ?? 0) % 50)}%.`;
}

/** A fresh `McpServer` with the `get_weather` tool (one per session: an SDK server serves one transport). */
export function createWeatherServer(): McpServer {
  const server = new McpServer({ name: 'weather_service', version: '1.0.0' });
  server.registerTool(
    'get_weather',
    {
      description: 'Gets the current weather for a location.',
      inputSchema: { location: z.string().describe('The city, e.g. "New York"') },
      annotations: { readOnlyHint: true },
    },
    async ({ location }) => ({ content: [{ type: 'text', text: weatherFor(location) }] }),
  );
  return server;
}

export type RunningWeatherServer = HostedMcpHttpServer;

/** Serve `weather_service` over Streamable HTTP (stateful sessions) on 127.0.0.1. */
export function startWeatherServer(port = 0): Promise<RunningWeatherServer> {
  return serveMcpOverHttp(createWeatherServer, { port });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--stdio')) {
    await createWeatherServer().connect(new StdioServerTransport());
  } else {
    const portFlag = args.indexOf('--port');
    const server = await startWeatherServer(portFlag >= 0 ? Number(args[portFlag + 1]) : 0);
    console.log(`weather_service MCP server: ${server.url} (Ctrl+C to stop)`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
