/**
 * `interplay serve`'s offline default (no flags: the scripted model and the bundled corpus), over real HTTP:
 * Deep Research reads the corpus's pages — whose made-up hosts do not resolve — instead of failing on DNS and
 * writing from cut search snippets; and the address policy is as strict as before.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInteractionsServer, type InteractionsServer } from '@interplay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../src/serve-options.ts';

let server: InteractionsServer;
let url: string;
let local: Server;
let localUrl: string;

beforeAll(async () => {
  const { server: options } = parseServeArgs([], {});
  server = createInteractionsServer({
    ...options,
    port: 0,
    dbPath: ':memory:',
    builtins: { ...(options.builtins || {}), disable: ['code_execution'] },
  });
  url = (await server.listen()).url;
  local = createServer((_req, res) => res.end('a page on this machine'));
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await server?.close();
  local?.close();
});

async function post(body: object) {
  const res = await fetch(`${url}/v1beta/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('interplay serve, offline default', () => {
  it('Deep Research reads every page it picks from the corpus and cites them', async () => {
    const started = await post({
      agent: 'deep-research-pro-preview-12-2025',
      background: true,
      input: 'Research the history of Google TPUs.',
    });
    expect(started.status).toBe(200);
    // The stream ends when the interaction has finished.
    await (await fetch(`${url}/v1beta/interactions/${started.json.id}?stream=true`)).text();
    const done = (await (await fetch(`${url}/v1beta/interactions/${started.json.id}`)).json()) as {
      status: string;
      steps: {
        type: string;
        result?: { url: string; status: string; text?: string }[];
        content?: { text: string }[];
      }[];
    };
    expect(done.status).toBe('completed');
    const read = done.steps.find((s) => s.type === 'url_context_result')!.result!;
    expect(read.length).toBeGreaterThan(0);
    for (const page of read) {
      expect(page.url).toMatch(/^https:\/\/[a-z-]+\.example\//); // the corpus's own URLs, not local copies
      expect(page.status, page.url).toBe('success');
    }
    const report = done.steps.at(-1)!.content![0]!.text;
    expect(report).not.toContain('(search snippet only)');
    expect(report).not.toMatch(/…\s*\[\d+\]/); // no note cut mid-sentence, as snippets were
  });

  it('the address policy is unchanged: loopback and private addresses are still refused', async () => {
    const reply = await post({
      model: 'm',
      input: `Read ${localUrl}`,
      tools: [{ type: 'url_context' }],
    });
    expect(reply.status).toBe(200);
    const result = reply.json.steps.find((s: { type: string }) => s.type === 'url_context_result');
    expect(result.result[0]).toMatchObject({ url: localUrl, status: 'unsafe' });
  });
});
