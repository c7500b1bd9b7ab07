/** Where the server may connect for hosted MCP: the outbound address policy unless private networks are allowed. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkMcpUrl, mcpFetch, UrlNotAllowedError } from '../src/mcp/url-policy.ts';
import { isUnsafeAddressError } from '../src/net/guarded-agent.ts';

describe('MCP url policy', () => {
  it('checks the URL: scheme, IP literals and localhost', () => {
    expect(checkMcpUrl('https://mcp.example.com/mcp', false).host).toBe('mcp.example.com');
    expect(() => checkMcpUrl('http://127.0.0.1:3000/mcp', false)).toThrow(UrlNotAllowedError);
    expect(() => checkMcpUrl('http://[::1]/mcp', false)).toThrow(/private or loopback/);
    expect(() => checkMcpUrl('http://localhost/mcp', false)).toThrow(UrlNotAllowedError);
    expect(() => checkMcpUrl('ftp://example.com/mcp', true)).toThrow(/http\(s\)/);
    expect(() => checkMcpUrl('not a url', true)).toThrow(/not a valid URL/);
    expect(checkMcpUrl('http://127.0.0.1:3000/mcp', true).port).toBe('3000');
  });

  it('the guarded fetch refuses private addresses at connect time; allowed: the SDK default', async () => {
    const http = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const guarded = mcpFetch(false);
    try {
      await expect(guarded?.(`http://localhost:${port}/`)).rejects.toSatisfy(isUnsafeAddressError);
      await expect(guarded?.(`http://127.0.0.1:${port}/`)).rejects.toSatisfy(isUnsafeAddressError);
      expect(mcpFetch(true)).toBeUndefined();
    } finally {
      await guarded?.close();
      http.close();
    }
  });
});
