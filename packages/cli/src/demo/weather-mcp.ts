/**
 * `weather_service`: a small MCP server (MCP SDK, Streamable HTTP, stateful sessions) run in-process on 127.0.0.1
 * for part 2. One tool, `get_weather({ location })`, with made-up but repeatable answers (derived from the
 * name), and a 300 ms delay like a real service — so the two calls of one step visibly run in parallel.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
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

export interface WeatherMcpServer {
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
  close(): Promise<void>;
}

export async function startWeatherMcp(): Promise<WeatherMcpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (typeof id === 'string') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
      );
      return;
    }
    // A new session starts with `initialize`; the transport refuses anything else.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await weatherServer().connect(transport);
    await transport.handleRequest(req, res);
  }
  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      for (const transport of sessions.values()) await transport.close().catch(() => {});
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
