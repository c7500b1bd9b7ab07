/**
 * url_context: the SSRF policy (literal addresses in every spelling, names, DNS answers, redirects), limits,
 * and page text — against a real HTTP server on 127.0.0.1. No test sends traffic anywhere else: refused
 * addresses are refused before a socket exists, which the `net.client.socket` diagnostics channel confirms.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UrlFetcher } from '../src/builtins/url-context/fetch-page.ts';
import { corpusPages } from '../src/builtins/url-context/local-pages.ts';
import { urlContextTool } from '../src/builtins/url-context/tool.ts';
import { addressRefusal, hostPolicy } from '../src/net/address-policy.ts';
import { guardedAgent, isUnsafeAddressError, type Resolver } from '../src/net/guarded-agent.ts';
import {
  closeServer,
  expectOnlyLoopback,
  listenOnLoopback,
  watchClientSockets,
} from './helpers/loopback-sockets.ts';

const PAGE = `<!doctype html><html><head><title>Trillium &amp; friends</title>
<style>body { color: red }</style><script>window.secret = 1</script></head>
<body><nav><a href="/">Home</a></nav>
<h1>Sixth-generation TPU</h1>
<p>Trillium was announced in <b>May 2024</b>.</p>
<p>It offers 4.7 times the peak compute of TPU v5e.</p>
<img src="chart.png" alt="chart"></body></html>`;

let server: Server;
let base: string;
let port: number;
let connections = 0;

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', base);
  switch (url.pathname) {
    case '/page.html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    case '/plain.txt':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('just text, café');
      return;
    case '/data.json':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
      return;
    case '/latin1':
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      return;
    case '/image.png':
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
      return;
    case '/untyped-binary':
      res.writeHead(200).end(Buffer.from([1, 2, 0, 3]));
      return;
    case '/big':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5_000));
      return;
    case '/big-stream': {
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked: no content-length
      const timer = setInterval(() => res.write('y'.repeat(500)), 5);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/slow':
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('late'), 3_000).unref();
      return;
    case '/redirect':
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/page.html' }).end();
      return;
    case '/loop':
      res.writeHead(301, { location: '/loop' }).end();
      return;
    case '/payment':
      res.writeHead(402, { 'content-type': 'text/plain' }).end('Payment required');
      return;
    case '/subscribers':
      res
        .writeHead(403, { 'content-type': 'text/html' })
        .end('<p>Subscribe to continue reading this article.</p>');
      return;
    case '/forbidden':
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      return;
    default:
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

/** Every client socket that actually connected, and to where (remote address:port). */
const connected = watchClientSockets();

beforeAll(async () => {
  server = createServer(route);
  server.on('connection', () => connections++);
  port = await listenOnLoopback(server);
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => closeServer(server));

/** Only the local test server was ever connected to. */
const expectOnlyLocalConnections = () => expectOnlyLoopback(connected, port);

describe('address policy', () => {
  it('refuses non-public IPv4 and IPv6 addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.255.254',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      '2002:7f00:1::',
    ]) {
      expect(addressRefusal(ip), ip).toBeDefined();
    }
    expect(addressRefusal('169.254.169.254')).toContain('link-local');
  });

  it('accepts public addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(addressRefusal(ip), ip).toBeUndefined();
    }
  });

  it('refuses loopback names and dotless names, honours the allow-list', () => {
    const policy = hostPolicy(['127.0.0.1', '*.corp.example', '[::1]']);
    expect(policy.refuseBeforeLookup('localhost')).toBeDefined();
    expect(policy.refuseBeforeLookup('api.localhost')).toBeDefined();
    expect(policy.refuseBeforeLookup('intranet')).toBeDefined();
    expect(policy.refuseBeforeLookup('example.com')).toBeUndefined();
    expect(policy.allowed('127.0.0.1')).toBe(true);
    expect(policy.allowed('[::1]')).toBe(true);
    expect(policy.allowed('wiki.corp.example')).toBe(true);
    expect(policy.allowed('corp.example.evil.com')).toBe(false);
    expect(policy.refuseBeforeLookup('127.0.0.2')).toBeDefined();
  });
});

describe('SSRF: refused as unsafe, with no connection made', () => {
  let fetcher: UrlFetcher;
  /** Names a test DNS server would give; every answer is loopback, so a bug would only ever reach 127.0.0.1. */
  const resolve: Resolver = async (hostname) => {
    if (hostname === 'rebind.test' || hostname === 'docs.example.test')
      return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'v6.example.test') return [{ address: '::1', family: 6 }];
    throw Object.assign(new Error(`unknown test name ${hostname}`), { code: 'ENOTFOUND' });
  };

  beforeAll(() => {
    fetcher = new UrlFetcher({ resolve, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await fetcher.close();
  });
  afterEach(() => {
    expect(connected).toEqual([]);
  });

  // Built lazily: the server's port is known only once it listens.
  const literal = (host: string) => () => `http://${host}:${port}/page.html`;
  it.each([
    ['127.0.0.1', literal('127.0.0.1')],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['[::1]', literal('[::1]')],
    ['0.0.0.0', literal('0.0.0.0')],
    ['10.0.0.1', () => 'http://10.0.0.1/'],
    ['decimal 2130706433', literal('2130706433')],
    ['hex 0x7f.1', literal('0x7f.1')],
    ['octal 0177.0.0.1', literal('0177.0.0.1')],
    ['IPv4-mapped [::ffff:127.0.0.1]', literal('[::ffff:127.0.0.1]')],
    ['localhost', literal('localhost')],
    ['localhost.', literal('localhost.')],
  ])('%s', async (_name, url) => {
    const before = connections;
    const page = await fetcher.fetch(url());
    expect(page.status).toBe('unsafe');
    expect(page.error).toMatch(/^refused: /);
    expect(connections).toBe(before);
  });

  it('a name whose DNS answer is loopback', async () => {
    const before = connections;
    const page = await fetcher.fetch(`http://rebind.test:${port}/page.html`);
    expect(page).toMatchObject({ status: 'unsafe' });
    expect(page.error).toContain('rebind.test resolves to 127.0.0.1');
    expect(connections).toBe(before);
  });

  it('a name whose DNS answer is IPv6 loopback', async () => {
    const page = await fetcher.fetch(`http://v6.example.test:${port}/`);
    expect(page.status).toBe('unsafe');
  });

  it('an https URL to a private address', async () => {
    expect((await fetcher.fetch('https://192.168.0.1/')).status).toBe('unsafe');
  });

  it('the agent itself refuses a literal address (defence in depth behind the URL check)', async () => {
    const agent = await guardedAgent({ policy: hostPolicy([]) });
    const before = connections;
    try {
      await expect(request(`${base}/page.html`, { dispatcher: agent })).rejects.toSatisfy(
        isUnsafeAddressError,
      );
      await expect(request(`http://[::1]:${port}/`, { dispatcher: agent })).rejects.toSatisfy(
        isUnsafeAddressError,
      );
      expect(connections).toBe(before);
    } finally {
      await agent.close();
    }
  });
});

describe('fetching from an allowed local server', () => {
  let fetcher: UrlFetcher;

  beforeAll(() => {
    fetcher = new UrlFetcher({ allowHosts: ['127.0.0.1'], maxBytes: 1_000, timeoutMs: 500, maxRedirects: 3 });
  });
  afterAll(async () => {
    await fetcher.close();
  });
  afterEach(expectOnlyLocalConnections);

  it('turns HTML into readable text, with its title', async () => {
    const page = await fetcher.fetch(`${base}/page.html`);
    expect(connected).toEqual([`127.0.0.1:${port}`]); // the diagnostics channel sees real connections
    expect(page).toMatchObject({ status: 'success', title: 'Trillium & friends', content_type: 'text/html' });
    expect(page.text).toContain('SIXTH-GENERATION TPU');
    expect(page.text).toContain('Trillium was announced in May 2024.');
    expect(page.text).toContain('4.7 times the peak compute');
    expect(page.text).not.toMatch(/window\.secret|color: red|chart\.png|<p>/);
  });

  it('passes other text through, decoding its charset', async () => {
    expect(await fetcher.fetch(`${base}/plain.txt`)).toMatchObject({
      status: 'success',
      text: 'just text, café',
    });
    expect(await fetcher.fetch(`${base}/data.json`)).toMatchObject({ status: 'success', text: '{"a":1}' });
    expect(await fetcher.fetch(`${base}/latin1`)).toMatchObject({ status: 'success', text: 'café' });
  });

  it('refuses binary content', async () => {
    expect(await fetcher.fetch(`${base}/image.png`)).toMatchObject({
      status: 'error',
      content_type: 'image/png',
    });
    expect((await fetcher.fetch(`${base}/untyped-binary`)).status).toBe('error');
  });

  it('follows a redirect and says where it ended', async () => {
    const page = await fetcher.fetch(`${base}/redirect?to=/page.html`);
    expect(page).toMatchObject({
      status: 'success',
      final_url: `${base}/page.html`,
      title: 'Trillium & friends',
    });
  });

  it('refuses a redirect to a private address, without connecting to it', async () => {
    const page = await fetcher.fetch(
      `${base}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
    );
    expect(page).toMatchObject({ status: 'unsafe', final_url: 'http://169.254.169.254/latest/meta-data/' });
    const toTen = await fetcher.fetch(`${base}/redirect?to=${encodeURIComponent('http://10.0.0.1/')}`);
    expect(toTen.status).toBe('unsafe');
    const toLocalhost = await fetcher.fetch(
      `${base}/redirect?to=${encodeURIComponent(`http://localhost:${port}/page.html`)}`,
    );
    expect(toLocalhost.status).toBe('unsafe');
  });

  it('refuses a redirect to another scheme', async () => {
    const page = await fetcher.fetch(`${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`);
    expect(page.status).toBe('error');
    expect(page.error).toContain('only http and https');
  });

  it('stops after too many redirects', async () => {
    const page = await fetcher.fetch(`${base}/loop`);
    expect(page).toMatchObject({ status: 'error', error: 'more than 3 redirects' });
  });

  it('refuses a body larger than the limit (declared, or streamed and cut)', async () => {
    expect(await fetcher.fetch(`${base}/big`)).toMatchObject({
      status: 'error',
      error: 'the response is larger than 1000 bytes',
    });
    expect(await fetcher.fetch(`${base}/big-stream`)).toMatchObject({
      status: 'error',
      error: 'the response is larger than 1000 bytes',
    });
  });

  it('gives up after the time limit', async () => {
    const started = performance.now();
    const page = await fetcher.fetch(`${base}/slow`);
    expect(page).toMatchObject({ status: 'error', error: 'timed out after 500 ms' });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('reports paywalls and HTTP errors', async () => {
    expect(await fetcher.fetch(`${base}/payment`)).toMatchObject({ status: 'paywall', error: 'HTTP 402' });
    expect(await fetcher.fetch(`${base}/subscribers`)).toMatchObject({
      status: 'paywall',
      error: 'HTTP 403',
    });
    expect(await fetcher.fetch(`${base}/forbidden`)).toMatchObject({ status: 'error', error: 'HTTP 403' });
    expect(await fetcher.fetch(`${base}/missing`)).toMatchObject({ status: 'error', error: 'HTTP 404' });
  });

  it('refuses non-http schemes, credentials and nonsense', async () => {
    expect((await fetcher.fetch('ftp://127.0.0.1/file')).status).toBe('error');
    expect((await fetcher.fetch('file:///etc/passwd')).status).toBe('error');
    expect((await fetcher.fetch(`http://user:pw@127.0.0.1:${port}/page.html`)).status).toBe('error');
    expect(await fetcher.fetch('not a url')).toMatchObject({ status: 'error', error: 'not a valid URL' });
  });

  it('allows a name on the allow-list even though it resolves to loopback', async () => {
    const named = new UrlFetcher({
      allowHosts: ['docs.example.test'],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    try {
      const page = await named.fetch(`http://docs.example.test:${port}/plain.txt`);
      expect(page).toMatchObject({ status: 'success', text: 'just text, café' });
    } finally {
      await named.close();
    }
  });
});

describe('the url_context ServerTool', () => {
  const ctx = () => ({
    declaration: { type: 'url_context' as const },
    signal: new AbortController().signal,
    interactionId: 'i1',
  });

  it('serves url_context_call → url_context_result with a status and the text per URL', async () => {
    const tool = urlContextTool({ allowHosts: ['127.0.0.1'], timeoutMs: 1_000 });
    try {
      expect(tool.toolType).toBe('url_context');
      expect(tool.callType).toBe('url_context_call');
      const call = {
        type: 'url_context_call' as const,
        id: 'u1',
        arguments: { urls: [`${base}/page.html`, 'http://10.0.0.1/', `${base}/payment`, `${base}/missing`] },
      };
      const result = await tool.execute(call, ctx());
      expect(result.type).toBe('url_context_result');
      expect(result.call_id).toBe('u1');
      const entries = result.result as { url: string; status: string; text?: string }[];
      expect(entries.map((e) => [e.url, e.status])).toEqual([
        [`${base}/page.html`, 'success'],
        ['http://10.0.0.1/', 'unsafe'],
        [`${base}/payment`, 'paywall'],
        [`${base}/missing`, 'error'],
      ]);
      expect(entries[0]!.text).toContain('Trillium was announced in May 2024.');
      expect(result.is_error).toBeUndefined();
      expectOnlyLocalConnections();
    } finally {
      await tool.close();
    }
  });

  it('caps the URLs per call and flags a call without URLs', async () => {
    const tool = urlContextTool({ allowHosts: ['127.0.0.1'], maxUrls: 1 });
    try {
      const call = {
        type: 'url_context_call' as const,
        id: 'u2',
        arguments: { urls: [`${base}/plain.txt`, `${base}/data.json`] },
      };
      const entries = (await tool.execute(call, ctx())).result as { status: string; error?: string }[];
      expect(entries.map((e) => e.status)).toEqual(['success', 'error']);
      expect(entries[1]!.error).toBe('more than 1 URLs in one call');
      const empty = await tool.execute({ type: 'url_context_call', id: 'u3', arguments: {} }, ctx());
      expect(empty).toMatchObject({ result: [], is_error: true });
    } finally {
      await tool.close();
    }
  });
});

describe('local pages: the offline corpus answered from memory', () => {
  it('answers a corpus URL with no connection; every other URL meets the address policy as before', async () => {
    const fetcher = new UrlFetcher({
      localPages: corpusPages([
        { url: 'https://docs.example.test/tpu/', title: 'TPU', text: 'The TPU was announced in 2016.' },
      ]),
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    try {
      expect(await fetcher.fetch('https://docs.example.test/tpu?ref=search#top')).toEqual({
        url: 'https://docs.example.test/tpu?ref=search#top',
        status: 'success',
        content_type: 'text/plain',
        title: 'TPU',
        text: 'The TPU was announced in 2016.',
      });
      expect(connected).toEqual([]);
      // Another path on the same host, another scheme, a loopback address: not pages, so the policy decides.
      expect((await fetcher.fetch('https://docs.example.test/other')).status).toBe('unsafe');
      expect((await fetcher.fetch('http://docs.example.test/tpu')).status).toBe('unsafe');
      expect((await fetcher.fetch(`${base}/page.html`)).status).toBe('unsafe');
      expect(connected).toEqual([]);
    } finally {
      await fetcher.close();
    }
  });
});
