/**
 * One live MCP session, re-established on demand. A session that died (child exited, server restarted,
 * socket refused) is dropped; the next request connects again. `run()` retries a request once on a fresh
 * session when the failure says it is safe (see dead-connection.ts).
 */
import { isBrokenMcpStream } from '@interplay/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { classifyFailure } from './dead-connection.ts';
import { McpConnectionError } from './errors.ts';
import type { McpTransportOptions } from './options.ts';
import { type OpenedTransport, openTransport } from './transport.ts';
import { VERSION } from './version.ts';

const CLIENT_INFO = { name: 'interplay-mcp', version: VERSION };

export interface ConnectionOptions {
  server: string;
  transport: McpTransportOptions;
  connectTimeoutMs: number;
  /** Called when the tool list may have changed: `tools/list_changed`, or a lost session. */
  onToolsChanged: () => void;
}

/** When a failed request may be sent again on a new session. */
export type RetryRule = 'always' | 'if_not_delivered';

interface Session {
  client: Client;
  opened: OpenedTransport;
}

export class McpConnection {
  readonly #options: ConnectionOptions;
  #session: Session | undefined;
  #connecting: Promise<Session> | undefined;
  #closed = false;
  #sessions = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  /** Sessions opened so far (1 = never reconnected). */
  get sessions(): number {
    return this.#sessions;
  }

  get connected(): boolean {
    return this.#session !== undefined;
  }

  /** The stdio child's pid while connected. */
  get pid(): number | undefined {
    return this.#session?.opened.pid();
  }

  /** Connect now (requests connect lazily anyway). */
  async connect(): Promise<Client> {
    return (await this.#ensure()).client;
  }

  /** Run `request` on the session; on a dead connection, reconnect and retry once if `retry` allows. */
  async run<T>(request: (client: Client) => Promise<T>, retry: RetryRule): Promise<T> {
    const session = await this.#ensure();
    try {
      return await request(session.client);
    } catch (error) {
      const failure = classifyFailure(error);
      if (!failure || this.#closed) throw error;
      this.#drop(session);
      if (retry === 'if_not_delivered' && failure !== 'not_delivered') {
        throw this.#lost(error, ' It was not retried because the tool may already have run.');
      }
    }
    const fresh = await this.#ensure();
    try {
      return await request(fresh.client);
    } catch (error) {
      if (!classifyFailure(error)) throw error;
      this.#drop(fresh);
      throw this.#lost(error, '');
    }
  }

  #lost(cause: unknown, detail: string): McpConnectionError {
    const { server } = this.#options;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new McpConnectionError(
      server,
      `Lost the connection to MCP server "${server}" (${reason}).${detail}`,
      {
        cause,
      },
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#connecting;
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      await session.opened.terminate();
      await session.client.close().catch(() => {});
    }
    // A connect still in flight closes its own session when it sees #closed.
    if (pending) await pending.catch(() => {});
  }

  #ensure(): Promise<Session> {
    if (this.#closed) {
      return Promise.reject(
        new McpConnectionError(this.#options.server, `MCP server "${this.#options.server}" is closed.`),
      );
    }
    if (this.#session) return Promise.resolve(this.#session);
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #open(): Promise<Session> {
    const { server, transport, connectTimeoutMs, onToolsChanged } = this.#options;
    const opened = openTransport(transport);
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => onToolsChanged());
    const session: Session = { client, opened };
    client.onclose = () => this.#drop(session);
    // Failures surface through the requests that hit them, except a broken stream: closing the session fails
    // the requests waiting on it now, as "Connection closed" (maybe delivered: retried only when safe).
    client.onerror = (error) => {
      if (isBrokenMcpStream(error)) this.#drop(session);
    };
    try {
      await client.connect(opened.transport, { timeout: connectTimeoutMs });
    } catch (cause) {
      await client.close().catch(() => {});
      throw new McpConnectionError(server, connectMessage(server, transport, cause, opened.stderrTail()), {
        cause,
      });
    }
    if (this.#closed) {
      await client.close().catch(() => {});
      throw new McpConnectionError(server, `MCP server "${server}" was closed while connecting.`);
    }
    this.#session = session;
    this.#sessions += 1;
    return session;
  }

  #drop(session: Session): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    // The next session may serve a different tool list (e.g. a redeployed server).
    this.#options.onToolsChanged();
    void session.client.close().catch(() => {});
  }
}

function connectMessage(
  server: string,
  transport: McpTransportOptions,
  cause: unknown,
  stderr: string,
): string {
  const where =
    transport.type === 'http'
      ? String(transport.url)
      : [transport.command, ...(transport.args ?? [])].join(' ');
  const reason = cause instanceof Error ? cause.message : String(cause);
  return `Could not connect to MCP server "${server}" (${where}): ${reason}${stderr ? `\nstderr: ${stderr}` : ''}`;
}
