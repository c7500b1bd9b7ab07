/**
 * `weather_service`: a small MCP server (MCP SDK, Streamable HTTP, stateful sessions) run in-process on 127.0.0.1
 * for part 2. One tool, `get_weather({ location })`, with made-up but repeatable answers (derived from the
 * name), and a 300 ms delay like a real service — so the two calls of one step visibly run in parallel.
 */
import { createHash } from 'node:crypto';
import { type HostedMcpHttpServer, serveMcpOverHttp } from '@interplay/mcp';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const CONDITIONS = ['sunny', 'partly cloudy', 'overcast', 'light rain', 'windy', 'clear'];

/** The same location always gets the same weather. */
export function weatherFor(location: string): string {
  const digest = createHash('sha256').update(location.trim().toLowerCase()).digest();
  const celsius = 5 + ((digest[0] ?? 0) % 25);
  const condition = CONDITIONS[(digest[1] ?? 0) % CONDITIONS.length];
  return `${location.trim()}: ${celsius} °C, ${condition}, humidity ${40 + ((digest[2] ?? 0) % 50)}%`;
}

function weatherServer(): McpServer {
  const server = new McpServer({ name: 'weather_service', version: '1.0.0' });
  server.registerTool(
    'get_weather',
    {
      description: 'Gets the current weather for a city.',
      inputSchema: { location: z.string().describe('The city, e.g. "Paris"') },
      annotations: { readOnlyHint: true },
    },
    async ({ location }) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { content: [{ type: 'text', text: weatherFor(location) }] };
    },
  );
  return server;
}

export type WeatherMcpServer = HostedMcpHttpServer;

export function startWeatherMcp(): Promise<WeatherMcpServer> {
  return serveMcpOverHttp(weatherServer);
}
