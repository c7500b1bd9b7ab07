/**
 * An idle server, and one answering ordinary creates, does not load what only some requests need: undici and
 * the HTML converter (url_context), the MCP SDK (hosted mcp_server), the Postgres driver. Checked in a fresh
 * process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const LAZY = /\/node_modules\/(undici|@modelcontextprotocol\/sdk|html-to-text|pg)\//;

const script = `
  import { registerHooks } from 'node:module';
  const seen = new Set();
  registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
  const { createInteractionsServer } = await import(process.argv[1]);
  const server = createInteractionsServer({ port: 0 });
  const { url } = await server.listen();
  const res = await fetch(url + '/v1beta/interactions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', input: 'Hello', tools: [{ type: 'url_context' }] }),
  });
  const status = res.status;
  await res.text();
  await server.close();
  process.stdout.write(JSON.stringify({ status, loaded: [...seen] }));
`;

describe('lazy imports', () => {
  it('the server starts and answers without loading undici, html-to-text, the MCP SDK or pg', async () => {
    const entry = pathToFileURL(join(import.meta.dirname, '../src/index.ts')).href;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, entry], {
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
      child.on('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`)),
      );
    });
    const { status, loaded } = JSON.parse(out) as { status: number; loaded: string[] };
    expect(status).toBe(200);
    expect(loaded.some((u) => u.includes('/packages/server/src/server.ts'))).toBe(true);
    expect(loaded.filter((u) => LAZY.test(u))).toEqual([]);
  }, 30_000);
});
