/**
 * The one outbound address policy (net/) in every caller: url_context, hosted mcp_server and `outboundFetch`.
 * Every address form a black-box probe found accepted somewhere is refused everywhere; names are vetted on
 * every DNS answer at connect time, and redirects on every hop. The only server here listens on 127.0.0.1,
 * and the `net.client.socket` diagnostics channel shows no socket ever reaches anything else.
 */
import { createServer, type Server } from 'node:http';
import type { Item, McpServerTool } from '@interplay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlFetcher } from '../src/builtins/url-context/fetch-page.ts';
import { mcpServerTool } from '../src/mcp/mcp-server-tool.ts';
import { checkMcpUrl, UrlNotAllowedError } from '../src/mcp/url-policy.ts';
import { addressRefusal, hostPolicy } from '../src/net/address-policy.ts';
import { isUnsafeAddressError, type Resolver } from '../src/net/guarded-agent.ts';
import { outboundFetch } from '../src/net/outbound-fetch.ts';
import {
  closeServer,
  expectOnlyLoopback,
  listenOnLoopback,
  watchClientSockets,
} from './helpers/loopback-sockets.ts';

/** Non-public addresses, as URL hosts; the first five are the probe's findings (accepted before). */
const REFUSED = [
  '[::127.0.0.1]', // IPv4-compatible loopback
  '[64:ff9b::a9fe:a9fe]', // NAT64 of 169.254.169.254
  '[2002:a9fe:a9fe::]', // 6to4 of 169.254.169.254
  '[fec0::1]', // site-local
  '[::ffff:0:a9fe:a9fe]', // IPv4-translated 169.254.169.254
  '127.0.0.1',
  '10.1.2.3',
  '172.20.0.1',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '224.0.0.1',
  '192.0.2.1',
  '198.18.0.1',
  '[::1]',
  '[::]',
  '[fd00::1]',
  '[fe80::1]',
  '[ff02::1]',
  '[::ffff:127.0.0.1]',
  '[::ffff:a9fe:a9fe]',
  '[2001:db8::1]',
  '[2001::1]', // Teredo
  '[100::1]', // discard-only
];

const PUBLIC = ['8.8.8.8', '1.1.1.1', '[2606:4700:4700::1111]', '[::ffff:8.8.8.8]', '[2a00:1450:4001::1]'];

let server: Server;
let port: number;
const connected = watchClientSockets();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('local');
  });
  port = await listenOnLoopback(server);
});

afterAll(() => closeServer(server));

/** Test DNS: every answer is a local or refused address, so a bug could only ever reach 127.0.0.1. */
const resolve: Resolver = async (hostname) => {
  if (hostname === 'rebind.test') return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'mixed.test')
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '192.0.2.1', family: 4 },
    ];
  if (hostname === 'v6.test') return [{ address: '::ffff:0:7f00:1', family: 6 }];
  throw Object.assign(new Error(`unknown test name ${hostname}`), { code: 'ENOTFOUND' });
};

describe('the address policy', () => {
  it('refuses every non-public form and accepts public unicast', () => {
    for (const host of REFUSED) expect(addressRefusal(host), host).toBeDefined();
    for (const host of PUBLIC) expect(addressRefusal(host), host).toBeUndefined();
    expect(addressRefusal('[64:ff9b::a9fe:a9fe]')).toContain('NAT64');
    expect(addressRefusal('::ffff:169.254.169.254')).toContain('maps 169.254.169.254, a link-local');
    expect(addressRefusal('not-an-ip')).toContain('not an IP address');
  });

  it('refuses loopback and dotless names before any lookup; the allow-list wins', () => {
    const policy = hostPolicy(['127.0.0.1', '*.corp.example']);
    expect(policy.refuseBeforeLookup('localhost')).toBeDefined();
    expect(policy.refuseBeforeLookup('intranet')).toBeDefined();
    expect(policy.refuseBeforeLookup('example.com')).toBeUndefined();
    expect(policy.refuseAddress('example.com', '10.0.0.1')).toBe(
      'example.com resolves to 10.0.0.1 is a private address',
    );
    expect(policy.refuseAddress('wiki.corp.example', '10.0.0.1')).toBeUndefined();
    expect(policy.refuseAddress('127.0.0.1', '127.0.0.1')).toBeUndefined();
  });
});

describe('every caller refuses the same addresses, with no connection made', () => {
  it('url_context', async () => {
    const fetcher = new UrlFetcher({ resolve, timeoutMs: 2_000 });
    try {
      for (const host of REFUSED) {
        const page = await fetcher.fetch(`http://${host}:${port}/`);
        expect(page.status, host).toBe('unsafe');
      }
      for (const name of ['rebind.test', 'mixed.test', 'v6.test']) {
        expect((await fetcher.fetch(`http://${name}:${port}/`)).status, name).toBe('unsafe');
      }
    } finally {
      await fetcher.close();
    }
    expect(connected).toEqual([]);
  });

  it('hosted mcp_server: the URL check', () => {
    for (const host of REFUSED) {
      expect(() => checkMcpUrl(`http://${host}:${port}/mcp`, false), host).toThrow(UrlNotAllowedError);
      expect(checkMcpUrl(`http://${host}:${port}/mcp`, true).port, host).toBe(String(port));
    }
    expect(() => checkMcpUrl('http://localhost/mcp', false)).toThrow(/private or loopback/);
    expect(checkMcpUrl('https://mcp.example.com/mcp', false).host).toBe('mcp.example.com');
  });

  it('hosted mcp_server: a name is vetted on every DNS answer when the session connects', async () => {
    const tool = mcpServerTool({ resolve, connectTimeoutMs: 2_000 });
    try {
      for (const name of ['rebind.test', 'mixed.test']) {
        const declaration: McpServerTool = {
          type: 'mcp_server',
          name: 'fx',
          url: `http://${name}:${port}/mcp`,
        };
        const call = {
          type: 'mcp_server_tool_call',
          id: 'c1',
          name: 'echo',
          server_name: 'fx',
          arguments: {},
        };
        const result = await tool.execute(call as Item, {
          declaration,
          signal: new AbortController().signal,
          interactionId: 'v1_test',
        });
        expect(result.is_error, name).toBe(true);
        expect(String(result.result), name).toContain('127.0.0.1 is a loopback address');
      }
    } finally {
      await tool.close();
    }
    expect(connected).toEqual([]);
  });

  it('outboundFetch: the URL, every DNS answer, and every redirect hop', async () => {
    const fetch = outboundFetch({ resolve, allowHosts: ['127.0.0.1'] });
    try {
      for (const host of REFUSED.filter((h) => h !== '127.0.0.1'))
        await expect(fetch(`http://${host}:${port}/`), host).rejects.toSatisfy(isUnsafeAddressError);
      await expect(fetch(`http://mixed.test:${port}/`)).rejects.toSatisfy(isUnsafeAddressError);
      await expect(fetch('file:///etc/passwd')).rejects.toThrow(/only http and https/);
      // An allowed host works; its redirects to refused addresses are refused when their connection opens.
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('local');
      for (const to of [
        `http://127.0.0.2:${port}/`,
        `http://[::1]:${port}/`,
        `http://[::ffff:0:7f00:1]:${port}/`,
        `http://localhost:${port}/`,
        `http://rebind.test:${port}/`,
      ]) {
        await expect(
          fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(to)}`),
          to,
        ).rejects.toSatisfy(isUnsafeAddressError);
      }
    } finally {
      await fetch.close();
    }
    expectOnlyLoopback(connected, port);
  });
});
