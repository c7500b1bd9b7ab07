/** Where the server may connect for hosted MCP: private and loopback addresses are refused unless allowed. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/mcp/private-address.ts';
import { checkMcpUrl, guardedLookup, mcpFetch, UrlNotAllowedError } from '../src/mcp/url-policy.ts';

describe('MCP url policy', () => {
  it('classifies private, loopback and public addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '142.250.1.1', '2001:4860:4860::8888'])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('checks the URL: scheme, IP literals and localhost', () => {
    expect(checkMcpUrl('https://mcp.example.com/mcp', false).host).toBe('mcp.example.com');
    expect(() => checkMcpUrl('http://127.0.0.1:3000/mcp', false)).toThrow(UrlNotAllowedError);
    expect(() => checkMcpUrl('http://[::1]/mcp', false)).toThrow(/private or loopback/);
    expect(() => checkMcpUrl('http://localhost/mcp', false)).toThrow(UrlNotAllowedError);
    expect(() => checkMcpUrl('ftp://example.com/mcp', true)).toThrow(/http\(s\)/);
    expect(checkMcpUrl('http://127.0.0.1:3000/mcp', true).port).toBe('3000');
  });

  it('refuses names that resolve to private addresses at connect time', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      guardedLookup('localhost', {}, (e) => resolve(e)),
    );
    expect(error).toBeInstanceOf(UrlNotAllowedError);

    const http = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const guarded = mcpFetch(false);
      await expect(guarded?.(`http://localhost:${port}/`)).rejects.toMatchObject({
        cause: { name: 'UrlNotAllowedError' },
      });
      expect(mcpFetch(true)).toBeUndefined(); // allowed: the SDK's default fetch
    } finally {
      http.close();
    }
  });
});
