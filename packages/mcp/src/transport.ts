/** Builds the MCP SDK transport for a server's options (a fresh one per connection: transports are single-use). */
import { MCP_STREAM_RECONNECTION } from '@interplay/protocol';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpTransportOptions } from './options.ts';

const STDERR_TAIL = 4_000;

export interface OpenedTransport {
  transport: Transport;
  /** The last few KB the child wrote to stderr (stdio with `stderr: 'pipe'`), for error messages. */
  stderrTail(): string;
  /** The child's pid once started (stdio), for diagnostics and tests. */
  pid(): number | undefined;
  /** Ends the session politely before closing (HTTP: `DELETE`, so the server frees it at once). */
  terminate(): Promise<void>;
}

const TERMINATE_WAIT_MS = 2_000;

export function openTransport(options: McpTransportOptions): OpenedTransport {
  if (options.type === 'http') {
    const transport = new StreamableHTTPClientTransport(new URL(String(options.url)), {
      requestInit: { headers: { ...options.headers } },
      reconnectionOptions: MCP_STREAM_RECONNECTION,
    });
    const terminate = async () => {
      if (!transport.sessionId) return;
      const wait = new Promise<void>((resolve) => setTimeout(resolve, TERMINATE_WAIT_MS).unref());
      await Promise.race([transport.terminateSession().catch(() => {}), wait]);
    };
    return { transport, stderrTail: () => '', pid: () => undefined, terminate };
  }
  const stdio = new StdioClientTransport({
    command: options.command,
    args: [...(options.args ?? [])],
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stderr: options.stderr ?? 'pipe',
  });
  let tail = '';
  stdio.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  return {
    transport: stdio,
    stderrTail: () => tail.trim(),
    pid: () => stdio.pid ?? undefined,
    terminate: async () => {}, // closing stdin ends a stdio session
  };
}
