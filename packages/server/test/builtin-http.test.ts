/**
 * The built-in tools end to end: a real server over loopback HTTP, the scripted provider calling the tools,
 * the engine running them through the registry that `builtinTools()` fills — in both API revisions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltinTools, builtinTools } from '../src/builtins/builtin-tools.ts';
import { createEngine } from '../src/engine/engine.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import { call, closeAll, events, startServer, type TestServer } from './helpers/server.ts';

const CORPUS = fileURLToPath(new URL('../assets/search-corpus.jsonl', import.meta.url));
const STEPS = { 'api-revision': '2026-05-20' };
const LEGACY = { 'api-revision': '2026-05-07' };
const FIB =
  'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nfib(50)';

const script = {
  rules: [
    {
      when: { input: 'fibonacci', tools: 'code_execution', last: 'user_input' },
      respond: [{ type: 'code_execution_call', arguments: { language: 'python', code: FIB } }],
    },
    {
      when: { input: 'crash', tools: 'code_execution', last: 'user_input' },
      respond: [{ type: 'code_execution_call', arguments: { code: 'while True: pass' } }],
    },
    {
      when: { input: 'bomb', tools: 'code_execution', last: 'user_input' },
      respond: [
        {
          type: 'code_execution_call',
          arguments: { code: "x = []\nwhile True:\n    x.append(' ' * 10**7)" },
        },
      ],
    },
    { when: { last: 'code_execution_result' }, respond: 'Result: {{last.result}}' },
    {
      when: { input: 'probe (?<redirect>\\S+)', tools: 'url_context', last: 'user_input' },
      respond: [
        {
          type: 'url_context_call',
          arguments: {
            urls: [
              'http://127.0.0.2/admin',
              'http://localhost/',
              'http://[::1]/',
              'http://169.254.169.254/latest/meta-data/',
              'http://10.0.0.1/',
              '{{redirect}}',
            ],
          },
        },
      ],
    },
    {
      when: { input: 'read (?<url>\\S+)', tools: 'url_context', last: 'user_input' },
      respond: [{ type: 'url_context_call', arguments: { urls: ['{{url}}'] } }],
    },
    {
      when: { last: 'url_context_result' },
      respond: 'Read {{last.result.0.url}}: {{last.result.0.status}} ({{last.result.0.title}})',
    },
    {
      when: { input: 'search (?<q>.+)', tools: 'google_search', last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['{{q}}'] } }],
    },
    {
      when: { input: 'unoffered', last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['TPU'] } }],
    },
    { when: { last: 'google_search_result' }, respond: 'Top hit: {{last.result.1.title}}' }, // result[0]: search_suggestions
    { respond: 'no rule for: {{input}}' },
  ],
};

let t: TestServer;
let builtins: BuiltinTools;
let page: Server;
let pageUrl: string;

beforeAll(async () => {
  page = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<title>Local page</title><p>Hello from loopback.</p>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/doc.html`;
  builtins = builtinTools({
    allowHosts: ['127.0.0.1'],
    searchCorpusPath: CORPUS,
    code: { timeoutMs: 2_000 },
    warmCode: true,
  });
  const engine = createEngine({
    providers: [createScriptedProvider({ script })],
    tools: createServerToolRegistry(builtins.tools),
  });
  t = await startServer({ engine });
}, 60_000);

afterAll(async () => {
  await closeAll();
  await builtins.close();
  page.close();
});

const createOn = (
  server: TestServer,
  input: string,
  tools: object[],
  headers: Record<string, string>,
  extra: object = {},
) =>
  call(`${server.url}/v1beta/interactions`, {
    body: { model: 'gemini-3-flash-preview', input, tools, ...extra },
    headers,
  });
const create = (input: string, tools: object[], headers: Record<string, string>, extra: object = {}) =>
  createOn(t, input, tools, headers, extra);

describe('builtinTools()', () => {
  it('gives one ServerTool per server-executed built-in', () => {
    expect(builtins.tools.map((tool) => [tool.toolType, tool.callType])).toEqual([
      ['code_execution', 'code_execution_call'],
      ['url_context', 'url_context_call'],
      ['google_search', 'google_search_call'],
    ]);
    expect(
      builtinTools({ disable: ['code_execution', 'url_context'] }).tools.map((tool) => tool.toolType),
    ).toEqual(['google_search']);
  });

  it('fails at start-up on a bad corpus file', () => {
    expect(() =>
      builtinTools({ searchCorpusPath: '/nonexistent/corpus.jsonl', disable: ['code_execution'] }),
    ).toThrow(/ENOENT/);
  });
});

describe('code_execution over HTTP', () => {
  it('steps revision: the Fibonacci seed really runs', async () => {
    const reply = await create('Calculate the 50th Fibonacci number', [{ type: 'code_execution' }], STEPS);
    expect(reply.status).toBe(200);
    expect(reply.json.status).toBe('completed');
    const steps = reply.json.steps as Record<string, unknown>[];
    const callStep = steps.find((s) => s.type === 'code_execution_call')!;
    expect(callStep).toMatchObject({ arguments: { language: 'python', code: FIB } });
    expect(steps.find((s) => s.type === 'code_execution_result')).toMatchObject({
      call_id: callStep.id,
      result: '12586269025',
    });
    expect(steps.at(-1)).toMatchObject({
      type: 'model_output',
      content: [{ type: 'text', text: 'Result: 12586269025' }],
    });
  });

  it('legacy revision: outputs carry the call, the result and the answer', async () => {
    const reply = await create('Calculate the 50th Fibonacci number', [{ type: 'code_execution' }], LEGACY);
    expect(reply.status).toBe(200);
    const outputs = reply.json.outputs as Record<string, unknown>[];
    expect(outputs.map((o) => o.type)).toEqual(['code_execution_call', 'code_execution_result', 'text']);
    expect(outputs[1]).toMatchObject({ result: '12586269025' });
    expect(outputs[2]).toMatchObject({ text: 'Result: 12586269025' });
  });

  it('streams the result step', async () => {
    const reply = await create('Calculate the 50th Fibonacci number', [{ type: 'code_execution' }], STEPS, {
      stream: true,
    });
    const starts = events(reply.text).filter((e) => e.event_type === 'step.start');
    expect(starts.map((e) => e.step.type)).toEqual([
      'code_execution_call',
      'code_execution_result',
      'model_output',
    ]);
  });

  it('an endless loop ends as an is_error result, and the turn completes', async () => {
    const reply = await create('crash it', [{ type: 'code_execution' }], STEPS);
    expect(reply.json.status).toBe('completed');
    const result = (reply.json.steps as Record<string, unknown>[]).find(
      (s) => s.type === 'code_execution_result',
    );
    expect(result).toMatchObject({ is_error: true });
    expect(String(result!.result)).toContain('time limit');
  });
});

describe('code_execution limits over HTTP', () => {
  it('while an endless loop runs in the background, the server keeps answering other requests', async () => {
    const started = await create('crash it', [{ type: 'code_execution' }], STEPS, { background: true });
    expect(started.json.status).toBe('in_progress');
    const id = started.json.id as string;
    // Five ordinary interactions complete while the loop is still running (the limit is 2 s).
    for (let i = 0; i < 5; i++) {
      const other = await create('search Euro 2024 final', [{ type: 'google_search' }], STEPS);
      expect(other.json.status).toBe('completed');
    }
    const during = await call(`${t.url}/v1beta/interactions/${id}`, { method: 'GET', headers: STEPS });
    expect(during.json.status).toBe('in_progress');
    let done = during;
    for (let i = 0; i < 100 && done.json.status === 'in_progress'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = await call(`${t.url}/v1beta/interactions/${id}`, { method: 'GET', headers: STEPS });
    }
    expect(done.json.status).toBe('completed');
    const result = (done.json.steps as Record<string, unknown>[]).find(
      (s) => s.type === 'code_execution_result',
    );
    expect(result).toMatchObject({ is_error: true });
  });
});

describe('code_execution memory limit over HTTP', () => {
  // A sandbox of its own whose time limit cannot fire first: the memory limit alone ends the program, however
  // slowly a loaded machine fills the 128 MiB (with the 2 s limit above, a slow machine got a timeout instead).
  let memory: BuiltinTools;
  let server: TestServer;
  beforeAll(async () => {
    memory = builtinTools({
      code: { memoryLimitMb: 128, timeoutMs: 600_000 },
      disable: ['url_context', 'google_search'],
      warmCode: true,
    });
    const engine = createEngine({
      providers: [createScriptedProvider({ script })],
      tools: createServerToolRegistry(memory.tools),
    });
    server = await startServer({ engine });
  }, 60_000);
  afterAll(() => memory.close());

  it('a memory bomb ends as an is_error MemoryError result and the turn completes (legacy revision)', async () => {
    const reply = await createOn(server, 'bomb', [{ type: 'code_execution' }], LEGACY);
    expect(reply.json.status).toBe('completed');
    const result = (reply.json.outputs as Record<string, unknown>[]).find(
      (o) => o.type === 'code_execution_result',
    );
    expect(result).toMatchObject({ is_error: true });
    expect(String(result!.result)).toMatch(/MemoryError/);
    expect(String(result!.result)).not.toMatch(/time limit/);
  });
});

describe('url_context and google_search over HTTP', () => {
  for (const [name, headers] of [
    ['steps', STEPS],
    ['legacy', LEGACY],
  ] as const) {
    it(`refuses loopback, link-local, private and redirected-to-private URLs as unsafe (${name})`, async () => {
      const redirect = pageUrl.replace('/doc.html', '/redirect');
      const reply = await create(`probe ${redirect}`, [{ type: 'url_context' }], headers);
      expect(reply.json.status).toBe('completed');
      const items = (reply.json.steps ?? reply.json.outputs) as Record<string, unknown>[];
      const result = items.find((s) => s.type === 'url_context_result') as { result: { status: string }[] };
      expect(result.result.map((r) => r.status)).toEqual([
        'unsafe',
        'unsafe',
        'unsafe',
        'unsafe',
        'unsafe',
        'unsafe',
      ]);
    });
  }

  it('url_context reads an allowed local page', async () => {
    const reply = await create(`read ${pageUrl}`, [{ type: 'url_context' }], STEPS);
    expect(reply.json.status).toBe('completed');
    const result = (reply.json.steps as Record<string, unknown>[]).find(
      (s) => s.type === 'url_context_result',
    );
    expect(result).toMatchObject({ result: [{ url: pageUrl, status: 'success', title: 'Local page' }] });
    expect(reply.json.steps.at(-1).content[0].text).toBe(`Read ${pageUrl}: success (Local page)`);
  });

  it('url_context refuses the metadata address as unsafe (legacy revision)', async () => {
    const reply = await create(
      'read http://169.254.169.254/latest/meta-data/',
      [{ type: 'url_context' }],
      LEGACY,
    );
    const result = (reply.json.outputs as Record<string, unknown>[]).find(
      (o) => o.type === 'url_context_result',
    );
    expect(result).toMatchObject({
      result: [{ url: 'http://169.254.169.254/latest/meta-data/', status: 'unsafe' }],
    });
  });

  it('google_search answers from the corpus (both revisions)', async () => {
    for (const headers of [STEPS, LEGACY]) {
      const reply = await create('search who won the Euro 2024 final', [{ type: 'google_search' }], headers);
      expect(reply.status).toBe(200);
      const items = (reply.json.steps ?? reply.json.outputs) as Record<string, unknown>[];
      const result = items.find((s) => s.type === 'google_search_result')!;
      // result[0] is the search_suggestions entry; the hits follow.
      const [suggestions, top] = result.result as { url?: string; search_suggestions?: string }[];
      expect(suggestions?.search_suggestions).toContain('chip');
      expect(top!.url).toBe('https://football-archive.example/euro-2024/final-report');
      const answer = items.at(-1)!;
      const text = answer.type === 'text' ? answer.text : (answer.content as { text: string }[])[0]!.text;
      expect(text).toBe('Top hit: Euro 2024 final: Spain 2–1 England in Berlin');
    }
  });

  it('a built-in the request did not offer is not run: the model gets an is_error result', async () => {
    const reply = await create('unoffered search', [{ type: 'function', name: 'f' }], STEPS);
    const result = reply.json.steps.find((s: { type: string }) => s.type === 'google_search_result');
    expect(result).toMatchObject({ is_error: true });
    expect(JSON.stringify(result)).toContain('not offered');
  });
});
