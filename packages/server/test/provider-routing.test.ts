/**
 * Routing (`routing` option / `interplay serve --config FILE`): model-id globs → provider and upstream model,
 * tried in order, through the real server over HTTP with two fake Chat Completions upstreams and the offline
 * scripted provider; an unrouted model is 404 `not_found` naming it; the Deep Research model comes from the file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoutingConfig } from '../src/providers/routing/routing-config.ts';
import {
  type ChatCompletionsUpstream,
  startChatCompletionsUpstream,
} from './fakes/chat-completions-upstream.ts';
import { call, startServer, type TestServer, waitFor } from './helpers/server.ts';

let local: ChatCompletionsUpstream;
let remote: ChatCompletionsUpstream;
let api: TestServer;
const savedKey = process.env.OPENAI_API_KEY;
beforeAll(async () => {
  local = await startChatCompletionsUpstream();
  remote = await startChatCompletionsUpstream();
  const file = join(mkdtempSync(join(tmpdir(), 'interplay-routing-')), 'routes.json');
  writeFileSync(
    file,
    JSON.stringify({
      providers: {
        ollama: { type: 'openai', baseUrl: local.url },
        cloud: {
          type: 'openai',
          baseUrl: remote.url,
          apiKeyEnv: 'ROUTING_TEST_KEY',
          headers: { 'x-team': 'docs' },
        },
        offline: { type: 'scripted', script: { rules: [{ respond: 'scripted answer' }] } },
      },
      routes: [
        { models: ['gemini-*-flash*'], provider: 'ollama', upstreamModel: 'qwen3:8b' },
        { models: ['gpt-*'], provider: 'cloud' },
        { models: ['scripted-*'], provider: 'offline' },
      ],
      agents: { 'deep-research': { model: 'gpt-research' } },
    }),
  );
  process.env.ROUTING_TEST_KEY = 'sk-routing-secret-123456';
  delete process.env.OPENAI_API_KEY; // the default variable: unset, as on a machine with only local models
  api = await startServer({ routing: file, builtins: false, mcp: false });
});
afterAll(async () => {
  delete process.env.ROUTING_TEST_KEY;
  if (savedKey !== undefined) process.env.OPENAI_API_KEY = savedKey;
  await api?.close();
  await local?.close();
  await remote?.close();
});

const create = (body: Record<string, unknown>) => call(`${api.url}/v1beta/interactions`, { body });
const answer = (json: { steps: { content?: { text: string }[] }[] }) => json.steps.at(-1)?.content?.[0]?.text;

describe('routing', () => {
  it('sends each model id to the first route whose glob matches, renaming the model when the route says so', async () => {
    const flash = await create({ model: 'gemini-3-flash-preview', input: 'Hi, my name is Ada.' });
    expect(answer(flash.json)).toBe('Nice to meet you, Ada!');
    expect(local.requests.at(-1)?.model).toBe('qwen3:8b');

    const gpt = await create({ model: 'gpt-4o-mini', input: 'Hi, my name is Bo.' });
    expect(answer(gpt.json)).toBe('Nice to meet you, Bo!');
    expect(remote.requests.at(-1)?.model).toBe('gpt-4o-mini');
    // The key comes from the variable the route names; the local upstream gets none.
    expect(remote.authorizations.at(-1)).toBe('Bearer sk-routing-secret-123456');
    expect(local.authorizations.at(-1)).toBeUndefined();

    const offline = await create({ model: 'scripted-1', input: 'anything' });
    expect(answer(offline.json)).toBe('scripted answer');
  });

  it('a model no route serves is 404 not_found naming the model', async () => {
    const reply = await create({ model: 'claude-9', input: 'hello' });
    expect(reply.status).toBe(404);
    expect(reply.json.error.code).toBe('not_found');
    expect(reply.json.error.message).toContain("'claude-9'");
  });

  it('runs Deep Research on the model the file names', async () => {
    const created = await create({
      agent: 'deep-research-preview-04-2026',
      input: 'Research the TPU history.',
      background: true,
      tools: [],
    });
    expect(created.json.status).toBe('in_progress');
    const done = await waitFor(async () => {
      const got = await call(`${api.url}/v1beta/interactions/${created.json.id}`);
      return got.json.status === 'in_progress' ? undefined : got.json;
    }, 15_000);
    expect(done.status).toBe('completed');
    expect(remote.requests.some((r) => r.model === 'gpt-research')).toBe(true);
  });
});

describe('routing config errors name the field', () => {
  it.each([
    [{ providers: {}, routes: [] }, /'routes': /],
    [
      { providers: { a: { type: 'openai' } }, routes: [{ models: ['*'], provider: 'b' }] },
      /'routes.0.provider': no provider named 'b'/,
    ],
    [{ providers: { a: {} }, routes: [{ models: ['*'], provider: 'a' }] }, /'providers.a.type'/],
    [{ providers: {}, routes: [{ models: ['*'], provider: 'a' }], extra: 1 }, /'\(root\)'/],
  ])('%j', (config, message) => {
    expect(() => parseRoutingConfig(config)).toThrow(message);
  });

  it('a provider whose options are wrong fails the start, naming the provider and the option', async () => {
    await expect(
      startServer({
        routing: {
          providers: { x: { type: 'openai', baseUrl: 'ftp://nope' } },
          routes: [{ models: ['*'], provider: 'x' }],
        },
        builtins: false,
        mcp: false,
      }),
    ).rejects.toThrow(/provider 'x': openai provider: option 'baseUrl'/);
  });
});
