import { describe, expect, it } from 'vitest';
import { isRepeatableMcpTool, mcpConnectionFailure } from '../src/index.ts';

// Stand-ins for the MCP SDK's classes (protocol does not depend on the SDK; its callers pass the real ones).
class StreamableHTTPError extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`Streamable HTTP error: ${code}`);
    this.code = code;
  }
}
class McpError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(`MCP error ${code}: ${message}`);
    this.code = code;
  }
}
const sdk = { StreamableHTTPError, McpError };
const withCause = (code: string, name = 'TypeError') =>
  Object.assign(new Error('fetch failed', { cause: Object.assign(new Error(code), { code }) }), { name });

describe('mcpConnectionFailure', () => {
  it('a session the server no longer knows (404) did not run the request', () => {
    expect(mcpConnectionFailure(new StreamableHTTPError(404), sdk)).toBe('not_delivered');
    expect(mcpConnectionFailure(new StreamableHTTPError(500), sdk)).toBeUndefined();
  });

  it('a connection closed while waiting may have run it; a timeout is no connection failure', () => {
    expect(mcpConnectionFailure(new McpError(-32000, 'Connection closed'), sdk)).toBe('maybe_delivered');
    expect(mcpConnectionFailure(new McpError(-32001, 'Request timed out'), sdk)).toBeUndefined();
  });

  it('no connection made, or a socket already closed under the write (EPIPE), is not delivered', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EPIPE'])
      expect(mcpConnectionFailure(withCause(code), sdk)).toBe('not_delivered');
    expect(mcpConnectionFailure(new Error('Not connected'), sdk)).toBe('not_delivered');
  });

  it('a reset mid-request, or a bare fetch failure, may have been delivered', () => {
    expect(mcpConnectionFailure(withCause('ECONNRESET'), sdk)).toBe('maybe_delivered');
    expect(mcpConnectionFailure(new TypeError('fetch failed'), sdk)).toBe('maybe_delivered');
    expect(mcpConnectionFailure(new Error('tool said: fetch failed'), sdk)).toBeUndefined();
  });
});

describe('isRepeatableMcpTool', () => {
  it('a read-only or idempotent tool may run twice; a tool without those hints may not', () => {
    expect(isRepeatableMcpTool({ readOnlyHint: true })).toBe(true);
    expect(isRepeatableMcpTool({ idempotentHint: true, readOnlyHint: false })).toBe(true);
    expect(isRepeatableMcpTool({ readOnlyHint: false })).toBe(false);
    expect(isRepeatableMcpTool({})).toBe(false);
    expect(isRepeatableMcpTool(undefined)).toBe(false);
  });
});
