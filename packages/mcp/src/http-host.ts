/**
 * Host an MCP server built with the SDK over Streamable HTTP with stateful sessions (one `McpServer` per
 * session, as the SDK expects) — for local tools, tests and demos.
 *
 * @example
 * ```ts
 * import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
 *
 * const weather = await serveMcpOverHttp(() => {
 *   const server = new McpServer({ name: 'weather_service', version: '1.0.0' });
 *   server.registerTool('get_weather', { inputSchema: { location: z.string() } }, async ({ location }) => ({
 *     content: [{ type: 'text', text: `${location}: sunny` }],
 *   }));
 *   return server;
 * });
 * // weather.url === 'http://127.0.0.1:PORT/mcp'
 * await weather.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface McpHttpHandler {
  /** Serves `/mcp`; anything else is a 404. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Sessions initialized so far. */
  readonly sessionsStarted: number;
  /** Close every open session (as a redeployed server would forget them). */
  closeSessions(): Promise<void>;
}

export function createMcpHttpHandler(newServer: () => McpServer): McpHttpHandler {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let started = 0;
  return {
    get sessionsStarted() {
      return started;
    },
    async handle(req, res) {
      if (!req.url?.startsWith('/mcp')) {
        res.writeHead(404).end();
        return;
      }
      const id = req.headers['mcp-session-id'];
      const existing = typeof id === 'string' ? sessions.get(id) : undefined;
      if (existing) return existing.handleRequest(req, res);
      if (typeof id === 'string') {
        // An unknown session: the client must initialize again (what the SDK client expects after a restart).
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
        );
        return;
      }
      // No session yet: this must be `initialize`; the transport refuses anything else.
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          started += 1;
          sessions.set(sid, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await newServer().connect(transport);
      await transport.handleRequest(req, res);
    },
    async closeSessions() {
      const open = [...sessions.values()];
      sessions.clear();
      for (const transport of open) await transport.close().catch(() => {});
    },
  };
}

export interface HostedMcpHttpServer {
  /** `http://HOST:PORT/mcp` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveMcpOverHttp(
  newServer: () => McpServer,
  options: { port?: number; host?: string } = {},
): Promise<HostedMcpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const handler = createMcpHttpHandler(newServer);
  const http = createServer((req, res) => {
    handler.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/mcp`,
    port,
    async close() {
      await handler.closeSessions();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
