/**
 * The Python sandbox shared between API keys, over real HTTP with real Pyodide workers: one key's infinite
 * loops do not hold up another key's program, the pool takes keys in turn, and a key with too many programs
 * waiting gets 429 `resource_exhausted` (its other calls cancelled, the interaction failed, nothing stuck).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../src/builtins/code-execution/pool.ts';
import { ResourceExhaustedError } from '../src/tools/errors.ts';
import { call, closeAll, events, startServer, type TestServer } from './helpers/server.ts';

const LOOP = 'while True: pass';
const codeCall = (code: string) => ({ type: 'code_execution_call', arguments: { code } });

/** loop → two infinite loops in one round; three loops → three; print → print(1); then the output. */
const SCRIPT = {
  rules: [
    { when: { input: '^loop$' }, respond: [codeCall(LOOP), codeCall(LOOP)] },
    { when: { input: '^three loops$' }, respond: [codeCall(LOOP), codeCall(LOOP), codeCall(LOOP)] },
    { when: { input: '^print$' }, respond: [codeCall('print(1)')] },
    { when: { last: 'code_execution_result' }, respond: 'ran: {{last.result}}' },
  ],
};

const create = (url: string, key: string, body: object) =>
  call(`${url}/v1beta/interactions`, {
    body: { model: 'm', tools: [{ type: 'code_execution' }], ...body },
    headers: { 'x-goog-api-key': key },
  });

describe('one sandbox pool, several keys', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Two workers; a key runs one program at a time (the default: workers - 1) and may queue one more.
    t = await startServer({
      apiKeys: ['key-a', 'key-b'],
      script: SCRIPT,
      builtins: {
        code: { workers: 2, maxQueuedPerKey: 1, timeoutMs: 20_000 },
        warmCode: true,
        disable: ['url_context'],
      },
    });
  });
  afterAll(closeAll);

  it("one key's infinite loops do not hold up another key's print(1)", async () => {
    const loops = await create(t.url, 'key-a', { input: 'loop', background: true });
    expect(loops.status).toBe(200);
    // Key A's two programs are submitted once both calls are out (the stream shows them).
    const stream = await fetch(`${t.url}/v1beta/interactions/${loops.json.id}?stream=true`, {
      headers: { 'x-goog-api-key': 'key-a' },
    });
    const reader = stream.body!.getReader();
    let seen = '';
    while ((seen.match(/"type":"code_execution_call"/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    const printed = await create(t.url, 'key-b', { input: 'print' });
    expect(printed.status).toBe(200);
    expect(printed.json.steps.at(-1).content[0].text).toBe('ran: 1');
    // Key B was answered while key A's loops still run (before: B's program waited behind them).
    const a = await call(`${t.url}/v1beta/interactions/${loops.json.id}`, {
      headers: { 'x-goog-api-key': 'key-a' },
    });
    expect(a.json.status).toBe('in_progress');
    await reader.cancel();
    await call(`${t.url}/v1beta/interactions/${loops.json.id}/cancel`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'key-a' },
    });
  }, 90_000);

  it('a key over its queue cap gets 429 resource_exhausted; the interaction fails, the others go on', async () => {
    const refused = await create(t.url, 'key-a', { input: 'three loops' });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('resource_exhausted');
    expect(refused.json.error.message).toContain('Python programs waiting');
    // Streamed, the same turn ends with the error event and a failed interaction, not in_progress.
    const streamed = await create(t.url, 'key-a', { input: 'three loops', stream: true });
    const evs = events(streamed.text);
    expect(evs.find((e) => e.event_type === 'error')?.error.code).toBe('resource_exhausted');
    const id = evs[0].interaction.id;
    const stored = await call(`${t.url}/v1beta/interactions/${id}`, {
      headers: { 'x-goog-api-key': 'key-a' },
    });
    expect(stored.json.status).toBe('failed');
    // Another key's program runs meanwhile.
    const printed = await create(t.url, 'key-b', { input: 'print' });
    expect(printed.status).toBe(200);
    expect(printed.json.steps.at(-1).content[0].text).toBe('ran: 1');
  }, 90_000);
});

describe('PythonPool', () => {
  let pool: PythonPool;
  beforeAll(async () => {
    pool = new PythonPool({ workers: 1, maxQueuedPerKey: 2, timeoutMs: 20_000 });
    await pool.warm();
  }, 60_000);
  afterAll(() => pool.close());

  it('takes keys in turn and caps what one key may queue', async () => {
    const order: string[] = [];
    const run = (key: string, label: string) =>
      pool.run(`print("${label}")`, { key }).then((r) => order.push(r.stdout.trim()));
    const runs = [run('a', 'a1'), run('a', 'a2'), run('a', 'a3'), run('b', 'b1')];
    // a1 runs, a2 and a3 wait: a fourth program of key a is refused at once.
    expect(() => pool.run('print("a4")', { key: 'a' })).toThrow(ResourceExhaustedError);
    await Promise.all(runs);
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
  }, 90_000);

  it('drops a waiting program whose signal aborts', async () => {
    const controller = new AbortController();
    const loop = pool.run(LOOP, { key: 'a', signal: controller.signal });
    const waiting = pool.run('print(2)', { key: 'a', signal: controller.signal });
    controller.abort();
    expect(await waiting).toMatchObject({ ok: false, cancelled: true });
    expect(await loop).toMatchObject({ ok: false, cancelled: true });
  }, 90_000);
});
