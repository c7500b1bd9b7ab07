/** The server wires the built-in server tools into the engine: a scripted google_search call runs server-side. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, closeAll, events, startServer } from './helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'interplay-corpus-'));
const corpus = join(dir, 'corpus.jsonl');
writeFileSync(
  corpus,
  [
    {
      url: 'https://example.test/interactions',
      title: 'Interactions API',
      text: 'The Interactions API runs agents.',
    },
    { url: 'https://example.test/cooking', title: 'Cooking', text: 'Boil water for pasta.' },
  ]
    .map((d) => JSON.stringify(d))
    .join('\n'),
);

afterAll(async () => {
  await closeAll();
  rmSync(dir, { recursive: true, force: true });
});

const SCRIPT = {
  rules: [
    {
      when: { tools: ['google_search'], last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['interactions api'] } }],
    },
    { when: { last: 'google_search_result' }, respond: [{ type: 'text', text: 'Searched.' }] },
    { respond: [{ type: 'text', text: 'No tools.' }] },
  ],
};

describe('server-executed tools', () => {
  it('a google_search call is executed by the server and its result recorded before the answer', async () => {
    const t = await startServer({ script: SCRIPT, builtins: { searchCorpusPath: corpus } });
    const reply = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Look it up', tools: [{ type: 'google_search' }], stream: true },
    });
    const evs = events(reply.text);
    const started = evs.filter((e) => e.event_type === 'step.start').map((e) => e.step.type);
    expect(started).toEqual(['google_search_call', 'google_search_result', 'model_output']);
    const id = evs[0].interaction.id;
    const got = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(got.json.status).toBe('completed');
    expect(got.json.steps.map((s: { type: string }) => s.type)).toEqual([
      'user_input',
      'google_search_call',
      'google_search_result',
      'model_output',
    ]);
    const result = got.json.steps[2];
    expect(result.is_error).not.toBe(true);
    expect(JSON.stringify(result)).toContain('example.test/interactions');
  });

  it('builtins: false leaves them out (the call then fails as data, is_error)', async () => {
    const withTools = await startServer({ script: SCRIPT, builtins: { searchCorpusPath: corpus } });
    const without = await startServer({ script: SCRIPT, builtins: false });
    const body = { model: 'm', input: 'Look it up', tools: [{ type: 'google_search' }] };
    const ok = (await call(`${withTools.url}/v1beta/interactions`, { body })).json.steps[1];
    const off = (await call(`${without.url}/v1beta/interactions`, { body })).json.steps[1];
    expect(ok.type).toBe('google_search_result');
    expect(ok.is_error).not.toBe(true);
    expect(off.type).toBe('google_search_result');
    expect(off.is_error).toBe(true);
  });
});

describe('hosted MCP wiring', () => {
  it('the default server runs mcp_server calls (mcp option) and validates declarations at create', async () => {
    const { startHttpFixture } = await import('../../mcp/test/fixtures/http-host.ts');
    const fixture = await startHttpFixture();
    try {
      const t = await startServer({ mcp: { allowPrivateNetworks: true } });
      const tool = { type: 'mcp_server', name: 'weather_service', url: fixture.url };
      const ok = await call(`${t.url}/v1beta/interactions`, {
        body: { model: 'm', input: 'What is the weather like in New York today?', tools: [tool] },
      });
      expect(ok.status).toBe(200);
      const result = ok.json.steps.find((s: { type: string }) => s.type === 'mcp_server_tool_result');
      expect(result).toMatchObject({ server_name: 'weather_service', result: 'New York: 21°C, sunny' });

      const bad = await call(`${t.url}/v1beta/interactions`, {
        body: { model: 'm', input: 'x', tools: [{ ...tool, name: 'weather-service' }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toContain('tools[0].name');

      // Without allowPrivateNetworks (the default) a loopback MCP server is refused, as data.
      const strict = await startServer();
      const refused = await call(`${strict.url}/v1beta/interactions`, {
        body: { model: 'm', input: 'What is the weather like in New York today?', tools: [tool] },
      });
      const refusedResult = refused.json.steps.find(
        (s: { type: string }) => s.type === 'mcp_server_tool_result',
      );
      expect(refusedResult.is_error).toBe(true);
    } finally {
      await closeAll();
      await fixture.close();
    }
  });
});
