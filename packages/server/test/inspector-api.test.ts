/**
 * The inspector's HTTP side over loopback: its files (served from the package, no key, a strict content
 * policy) and its JSON routes (the list and one interaction's extras), authenticated like the Interactions API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAll, startServer, type TestServer } from './helpers/server.ts';
import { create, inspectorScript, post, WEATHER_TOOL } from './inspector/fixtures.ts';

let open: TestServer;
let keyed: TestServer;
const A = { 'x-goog-api-key': 'key-a' };
const B = { 'x-goog-api-key': 'key-b' };
/** Created oldest first on the open server. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  open = await startServer({ script: inspectorScript() });
  keyed = await startServer({ apiKeys: ['key-a', 'key-b'], script: inspectorScript() });
  ids.hello = await create(open.url, { input: 'Hello inspector' });
  await post(open.url, { input: 'please break', model: 'gemini-3-pro-preview' });
  ids.weather = await create(open.url, {
    input: 'weather in Paris',
    tools: [WEATHER_TOOL],
    previous_interaction_id: ids.hello,
  });
  ids.answer = await create(open.url, {
    input: [{ type: 'function_result', call_id: 'c1', name: 'get_weather', result: 'sunny' }],
    tools: [WEATHER_TOOL],
    previous_interaction_id: ids.weather,
  });
});
afterAll(closeAll);

const list = (server: TestServer, query = '', headers: Record<string, string> = {}) =>
  call(`${server.url}/inspector/api/interactions${query}`, { headers });

describe('the page and its files', () => {
  it('redirects /inspector to /inspector/ and serves the page with a strict content security policy', async () => {
    const redirect = await fetch(`${open.url}/inspector?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('inspector/?x=1');
    expect(new URL('inspector/?x=1', `${open.url}/inspector?x=1`).pathname).toBe('/inspector/');
    const page = await call(`${open.url}/inspector/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<script type="module" src="app.js"></script>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).not.toMatch(/https?:/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves every module the page imports, the libraries included, and nothing from elsewhere', async () => {
    const page = await call(`${open.url}/inspector/`);
    const pending = [
      ...[...page.text.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1] as string),
    ].filter((path) => !path.includes(':'));
    const seen = new Set<string>();
    while (pending.length > 0) {
      const path = pending.pop() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const reply = await call(`${open.url}/inspector/${path}`);
      expect(reply.status, path).toBe(200);
      if (path.endsWith('.js')) {
        expect(reply.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(reply.text).not.toContain('sourceMappingURL');
        const base = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
        for (const m of reply.text.matchAll(
          /(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g,
        )) {
          const target = m[1] as string;
          expect(target.startsWith('./') || target.startsWith('../'), `${path} imports ${target}`).toBe(true);
          pending.push(new URL(target, `http://x/${base}`).pathname.slice(1));
        }
      }
    }
    expect([...seen]).toEqual(
      expect.arrayContaining(['app.js', 'style.css', 'vendor/marked.js', 'vendor/purify.js']),
    );
  });

  it('needs no key for its files, even when the server has keys', async () => {
    expect((await call(`${keyed.url}/inspector/`)).status).toBe(200);
    expect((await call(`${keyed.url}/inspector/app.js`)).status).toBe(200);
  });

  it('answers 404 for other paths, traversal included, and 405 for other methods', async () => {
    for (const path of ['nope.js', '%2e%2e/package.json', '..%2fpackage.json', 'vendor/other.js']) {
      const reply = await call(`${open.url}/inspector/${path}`);
      expect(reply.status, path).toBe(404);
      expect(reply.json.error.code).toBe('not_found');
    }
    const post = await call(`${open.url}/inspector/`, { method: 'POST', raw: '' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('GET /inspector/api/interactions', () => {
  it('lists newest first with summaries', async () => {
    const reply = await list(open);
    expect(reply.status).toBe(200);
    const rows = reply.json.interactions;
    expect(rows.map((r: { id: string }) => r.id)).toEqual([
      ids.answer,
      ids.weather,
      expect.any(String), // the failed one
      ids.hello,
    ]);
    expect(rows[1]).toMatchObject({
      id: ids.weather,
      status: 'requires_action',
      model: 'gemini-3-flash-preview',
      previous_interaction_id: ids.hello,
      background: false,
      input_preview: 'weather in Paris',
      input_count: 1,
      usage: { total_tokens: expect.any(Number) },
    });
    expect(rows[2]).toMatchObject({ status: 'failed', error: { code: 'api_error' } });
    expect(reply.json.next_page_token).toBeUndefined();
  });

  it('filters by status, model and text, and pages with next_page_token', async () => {
    const failed = await list(open, '?status=failed');
    expect(failed.json.interactions.map((r: { status: string }) => r.status)).toEqual(['failed']);
    const pro = await list(open, '?model=gemini-3-pro-preview');
    expect(pro.json.interactions).toHaveLength(1);
    const search = await list(open, '?q=PARIS');
    expect(search.json.interactions.map((r: { id: string }) => r.id)).toEqual([ids.weather]);
    const first = await list(open, '?page_size=3');
    expect(first.json.interactions).toHaveLength(3);
    const second = await list(open, `?page_size=3&page_token=${first.json.next_page_token}`);
    expect(second.json.interactions.map((r: { id: string }) => r.id)).toEqual([ids.hello]);
    expect(second.json.next_page_token).toBeUndefined();
    const next = await list(open, `?previous_interaction_id=${ids.hello}`);
    expect(next.json.interactions.map((r: { id: string }) => r.id)).toEqual([ids.weather]);
  });

  it('rejects bad parameters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['?status=done', 'status'],
      ['?page_size=0', 'page_size'],
      ['?page_size=101', 'page_size'],
      ['?page_size=abc', 'page_size'],
      ['?page_token=garbage', 'page_token'],
      ['?sort=asc', 'sort'],
    ];
    for (const [query, field] of cases) {
      const reply = await list(open, query);
      expect(reply.status, query).toBe(400);
      expect(reply.json.error.code).toBe('invalid_request');
      expect(reply.json.error.message).toContain(`'${field}'`);
    }
  });

  it('needs a key when the server has keys, and shows each key only its own interactions', async () => {
    const mine = await create(keyed.url, { input: 'secret of A' }, 'key-a');
    expect((await list(keyed)).status).toBe(401);
    expect((await list(keyed, '', { 'x-goog-api-key': 'wrong' })).status).toBe(401);
    expect((await list(keyed, '', A)).json.interactions.map((r: { id: string }) => r.id)).toEqual([mine]);
    expect((await list(keyed, '', B)).json.interactions).toEqual([]);
    expect((await list(keyed, '?q=secret', B)).json.interactions).toEqual([]);
  });
});

describe('GET /inspector/api/interactions/{id}', () => {
  it('tells what the resource does not: background, how many steps are input, what continues it', async () => {
    const reply = await call(`${open.url}/inspector/api/interactions/${ids.hello}`);
    expect(reply.json).toEqual({
      id: ids.hello,
      background: false,
      input_count: 1,
      continued_by: [ids.weather],
    });
    const bg = await create(open.url, { input: 'background hello', background: true });
    expect((await call(`${open.url}/inspector/api/interactions/${bg}`)).json).toMatchObject({
      background: true,
    });
  });

  it("is 404 for an unknown interaction and for another key's", async () => {
    expect((await call(`${open.url}/inspector/api/interactions/v1_missing`)).status).toBe(404);
    const mine = await create(keyed.url, { input: 'only A' }, 'key-a');
    expect((await call(`${keyed.url}/inspector/api/interactions/${mine}`, { headers: A })).status).toBe(200);
    expect((await call(`${keyed.url}/inspector/api/interactions/${mine}`, { headers: B })).status).toBe(404);
    expect((await call(`${keyed.url}/inspector/api/interactions/${mine}`)).status).toBe(401);
  });
});
