/**
 * The agents resource over loopback HTTP (real server, SQLite file, scripted model): create, get, list, delete
 * a custom agent, per API key, with 400s naming the field — and running one with `agent: <id>`, its
 * instruction and server-side tools applied by the server, through raw HTTP and the official SDK 3.6.
 */
import { fileURLToPath } from 'node:url';
import { GoogleGenAI } from 'genai-3-6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAll, startServer, type TestServer, waitFor } from './helpers/server.ts';

const CORPUS = fileURLToPath(new URL('../assets/search-corpus.jsonl', import.meta.url));
const KEY = { 'x-goog-api-key': 'agents-key' };
const OTHER = { 'x-goog-api-key': 'other-key' };
const MODEL = 'gemini-3-flash-preview';

const script = {
  rules: [
    {
      when: { input: 'search (?<q>.+)', tools: 'google_search', last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['{{q}}'] } }],
    },
    { when: { last: 'google_search_result' }, respond: 'Top hit: {{last.result.0.title}}' },
    { when: { input: 'which tools' }, respond: 'no search tool offered' },
  ],
};

let t: TestServer;
beforeAll(async () => {
  t = await startServer({
    apiKeys: ['agents-key', 'other-key'],
    script,
    builtins: { searchCorpusPath: CORPUS, disable: ['code_execution', 'url_context'] },
  });
}, 60_000);
afterAll(closeAll);

const agents = (path = '', init: Parameters<typeof call>[1] = {}) =>
  call(`${t.url}/v1beta/agents${path}`, { headers: KEY, ...init });

describe('the agents resource', () => {
  it('creates, gets, lists (paged) and deletes custom agents, per API key', async () => {
    const created = await agents('', {
      body: {
        id: 'crud-bot',
        base_agent: MODEL,
        description: 'Answers from search.',
        system_instruction: 'Cite your sources.',
        tools: [{ type: 'google_search' }],
      },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      id: 'crud-bot',
      base_agent: MODEL,
      tools: [{ type: 'google_search' }],
    });
    expect(created.json.create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await agents('', { body: { id: 'crud-bot-2', agent_config: { type: 'dynamic', model: MODEL } } });

    expect((await agents('/crud-bot')).json).toMatchObject({ system_instruction: 'Cite your sources.' });
    const first = await agents('?page_size=1');
    expect(first.json.agents.map((a: { id: string }) => a.id)).toEqual(['crud-bot']);
    const second = await agents(`?page_size=1&page_token=${first.json.next_page_token}`);
    expect(second.json.agents.map((a: { id: string }) => a.id)).toEqual(['crud-bot-2']);
    expect(second.json.next_page_token).toBeUndefined();

    // Another key sees none of them.
    expect((await call(`${t.url}/v1beta/agents`, { headers: OTHER })).json).toEqual({ agents: [] });
    expect((await call(`${t.url}/v1beta/agents/crud-bot`, { headers: OTHER })).status).toBe(404);

    expect((await agents('/crud-bot-2', { method: 'DELETE' })).json).toEqual({});
    const gone = await agents('/crud-bot-2');
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toContain("Agent 'crud-bot-2' was not found");
  });

  it('keeps agents in the SQLite file across a restart (migration v8)', async () => {
    const first = await startServer({ apiKeys: ['agents-key'], script });
    await call(`${first.url}/v1beta/agents`, { headers: KEY, body: { id: 'durable', base_agent: MODEL } });
    await first.server.close();
    const again = await startServer({ apiKeys: ['agents-key'], script, dbPath: first.dbPath });
    const found = await call(`${again.url}/v1beta/agents/durable`, { headers: KEY });
    expect(found.json).toMatchObject({ id: 'durable', base_agent: MODEL });
  });

  it('answers a bad body with 400 naming the field, and a taken id with 409', async () => {
    const badTool = await agents('', {
      body: { id: 'bad', base_agent: MODEL, tools: [{ type: 'computer_use' }] },
    });
    expect(badTool.status).toBe(400);
    expect(badTool.json.error.message).toMatch(/^'tools\[0\]\.type'/);
    const noBase = await agents('', { body: { id: 'bad' } });
    expect(noBase.status).toBe(400);
    expect(noBase.json.error.message).toContain("'base_agent'");
    const badId = await agents('', { body: { id: 'Bad Name', base_agent: MODEL } });
    expect(badId.json.error.message).toMatch(/^'id'/);
    const badMcp = await agents('', {
      body: { id: 'bad', base_agent: MODEL, tools: [{ type: 'mcp_server', name: 'a-b', url: 'http://x' }] },
    });
    expect(badMcp.json.error.message).toContain("'tools[0].name'");
    await agents('', { body: { id: 'taken', base_agent: MODEL } });
    const again = await agents('', { body: { id: 'taken', base_agent: MODEL } });
    expect(again.status).toBe(409);
  });

  it('runs a custom agent by name: its instruction and tools apply, the server runs its search', async () => {
    await agents('', {
      body: {
        id: 'search-bot',
        base_agent: MODEL,
        system_instruction: 'Cite sources.',
        tools: [{ type: 'google_search' }],
      },
    });
    const run = await call(`${t.url}/v1beta/interactions`, {
      headers: KEY,
      body: { agent: 'search-bot', input: 'search Euro 2024 final' },
    });
    expect(run.status).toBe(200);
    expect(run.json.agent).toBe('search-bot');
    const types = run.json.steps.map((s: { type: string }) => s.type);
    expect(types).toEqual(['google_search_call', 'google_search_result', 'model_output']);
    expect(run.json.system_instruction).toBe('Cite sources.');
    expect(run.json.tools).toEqual([{ type: 'google_search' }]);
    expect(run.json.steps.at(-1).content[0].text).toMatch(/^Top hit: /);

    // Without the agent (another key does not have it) no search tool is offered.
    const plain = await call(`${t.url}/v1beta/interactions`, {
      headers: KEY,
      body: { model: MODEL, input: 'which tools do you have' },
    });
    expect(plain.json.steps.at(-1).content[0].text).toBe('no search tool offered');
  });

  it('a deployed agent runs from the official SDK 3.6 with agent: NAME and background: true', async () => {
    const ai = new GoogleGenAI({ apiKey: 'agents-key', httpOptions: { baseUrl: t.url } });
    const agent = await ai.agents.create({
      id: 'sdk-bot',
      base_agent: MODEL,
      system_instruction: 'Answer from search.',
      tools: [{ type: 'google_search' }],
    });
    expect(agent.id).toBe('sdk-bot');
    expect((await ai.agents.get('sdk-bot')).system_instruction).toBe('Answer from search.');
    expect((await ai.agents.list()).agents?.map((a) => a.id)).toContain('sdk-bot');

    const started = await ai.interactions.create({
      agent: 'sdk-bot',
      input: 'search Euro 2024 final',
      background: true,
    });
    const done = await waitFor(async () => {
      const now = await ai.interactions.get(started.id);
      return now.status === 'completed' ? now : undefined;
    });
    const steps = (done as unknown as { steps: { type: string }[] }).steps;
    expect(steps.map((s) => s.type)).toContain('google_search_result');
    expect(JSON.stringify(steps.at(-1))).toContain('Top hit: ');

    await ai.agents.delete('sdk-bot');
    await expect(ai.agents.get('sdk-bot')).rejects.toThrow();
  });
});
