/**
 * An idle server, and one answering ordinary creates, does not load what only some requests need: undici and
 * the HTML converter (url_context), the MCP SDK (hosted mcp_server), the Postgres driver, pngjs (Deep
 * Research's chart) and jose (the JWT of a `webhook_config` delivery). Checked in a fresh process, which then
 * draws a chart and signs a delivery to show that the last two are loaded when first needed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const LAZY = /\/node_modules\/(undici|@modelcontextprotocol\/sdk|html-to-text|pg|pngjs|jose)\//;
const PNGJS = /\/node_modules\/pngjs\//;
const JOSE = /\/node_modules\/jose\//;

/**
 * Prints the URLs resolved so far after each phase: start-up and an ordinary create, a Deep Research run
 * with its chart, and a background create whose completion is delivered to `webhook_config.uris`.
 */
const script = `
  import { registerHooks } from 'node:module';
  import { createServer } from 'node:http';
  const seen = new Set();
  registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
  const [entry, dbPath, searchCorpusPath] = process.argv.slice(1);
  const { createInteractionsServer } = await import(entry);
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath,
    builtins: { searchCorpusPath },
    webhooks: { allowHosts: ['127.0.0.1'] },
  });
  const { url } = await server.listen();
  const create = async (body) => {
    const res = await fetch(url + '/v1beta/interactions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const phases = {};

  const idle = await create({ model: 'm', input: 'Hello', tools: [{ type: 'url_context' }] });
  phases.idle = { status: idle.status, loaded: [...seen] };

  const research = await create({
    agent: 'deep-research-preview-04-2026',
    input: 'Research the history of Google TPUs',
    background: true,
    agent_config: { type: 'deep-research', visualization: 'auto' },
  });
  let done;
  do {
    await new Promise((r) => setTimeout(r, 20));
    done = await (await fetch(url + '/v1beta/interactions/' + research.json.id)).json();
  } while (done.status === 'in_progress');
  const chart = JSON.stringify(done).includes('image/png');
  phases.chart = { status: done.status, chart, loaded: [...seen] };

  let delivered;
  const arrived = new Promise((resolve) => { delivered = resolve; });
  const receiver = createServer((req, res) => {
    delivered(req.headers['webhook-signature']);
    res.end();
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = 'http://127.0.0.1:' + receiver.address().port + '/hook';
  await create({ model: 'm', input: 'Hello', background: true, webhook_config: { uris: [hook] } });
  const signature = await arrived;
  phases.webhook = { jwt: signature.split('.').length === 3, loaded: [...seen] };

  receiver.close();
  await server.close();
  process.stdout.write(JSON.stringify(phases));
`;

interface Phases {
  idle: { status: number; loaded: string[] };
  chart: { status: string; chart: boolean; loaded: string[] };
  webhook: { jwt: boolean; loaded: string[] };
}

function runChild(args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'interplay-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lazy imports', () => {
  it('the server starts and answers without the optional modules, and loads pngjs and jose on first use', async () => {
    const entry = pathToFileURL(join(import.meta.dirname, '../src/index.ts')).href;
    const corpus = fileURLToPath(new URL('../assets/search-corpus.jsonl', import.meta.url));
    const phases = JSON.parse(await runChild([entry, join(dir, 'interplay.db'), corpus])) as Phases;

    expect(phases.idle.status).toBe(200);
    expect(phases.idle.loaded.some((u) => u.includes('/packages/server/src/server.ts'))).toBe(true);
    expect(phases.idle.loaded.filter((u) => LAZY.test(u))).toEqual([]);

    expect(phases.chart).toMatchObject({ status: 'completed', chart: true });
    expect(phases.chart.loaded.some((u) => PNGJS.test(u))).toBe(true);
    expect(phases.chart.loaded.some((u) => JOSE.test(u))).toBe(false);

    expect(phases.webhook.jwt).toBe(true);
    expect(phases.webhook.loaded.some((u) => JOSE.test(u))).toBe(true);
  }, 30_000);
});
