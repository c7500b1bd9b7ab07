/**
 * Deploying an `Agent` defined in code to the REAL server's agents resource (127.0.0.1, scripted model), then
 * running it by name as any client would (`agent: NAME`, `background: true`): the server applies its
 * instruction and runs its search tool. What only the client can run is refused, naming it.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentDefinitionError,
  AgentDeployError,
  agentResource,
  deployAgent,
  googleSearch,
  tool,
} from '../src/index.ts';
import { clientAt, MODEL } from './agents/fixtures.ts';
import { type ScriptedServer, startScriptedServer } from './agents/server.ts';

const CORPUS = fileURLToPath(new URL('../../server/assets/search-corpus.jsonl', import.meta.url));

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer(
    [
      {
        when: { input: 'search (?<q>.+)', tools: 'google_search', last: 'user_input' },
        respond: [{ type: 'google_search_call', arguments: { queries: ['{{q}}'] } }],
      },
      { when: { last: 'google_search_result' }, respond: 'Top hit: {{last.result.0.title}}' },
    ],
    { builtins: { searchCorpusPath: CORPUS, disable: ['code_execution', 'url_context'] } },
  );
}, 60_000);
afterAll(async () => {
  await srv?.close();
});

const searchBot = new Agent({
  name: 'search-bot',
  model: MODEL,
  instructions: 'Answer from search results, citing them.',
  handoffDescription: 'Answers from the web.',
  tools: [googleSearch()],
});

describe('deploying an agent', () => {
  it('deploys, and a client runs it by name in the background', async () => {
    const stored = await deployAgent(searchBot, { baseUrl: srv.url, apiKey: 'k' });
    expect(stored).toMatchObject({
      id: 'search-bot',
      base_agent: MODEL,
      description: 'Answers from the web.',
      system_instruction: 'Answer from search results, citing them.',
      tools: [{ type: 'google_search' }],
    });
    const client = clientAt(srv.url);
    const { interaction } = await client.create({
      agent: 'search-bot',
      input: 'search Euro 2024 final',
      background: true,
    });
    const { interaction: done } = await client.wait(interaction.id);
    expect(done.status).toBe('completed');
    expect(done.system_instruction).toBe('Answer from search results, citing them.');
    expect(JSON.stringify(done)).toContain('Top hit: ');
  });

  it('a taken name is an error unless replace: true', async () => {
    const again = await deployAgent(searchBot, { baseUrl: srv.url, apiKey: 'k' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AgentDeployError);
    expect(again).toMatchObject({ status: 409 });
    const newer = searchBot.clone({ instructions: 'Be brief.' });
    expect(await deployAgent(newer, { baseUrl: srv.url, apiKey: 'k', replace: true })).toMatchObject({
      system_instruction: 'Be brief.',
    });
  });

  it('refuses what runs in the client, naming it', () => {
    const local = tool({ name: 'local', description: 'x', parameters: z.object({}), execute: () => 'x' });
    const cases: [Agent<unknown>, RegExp][] = [
      [searchBot.clone({ tools: [local] }), /function tool "local"/],
      [searchBot.clone({ handoffs: [searchBot] }), /"handoffs"/],
      [searchBot.clone({ instructions: () => 'x' }), /"instructions" are a function/],
      [searchBot.clone({ inputGuardrails: [{ name: 'g', check: () => false }] }), /guardrails/],
      [searchBot.clone({ model: undefined }), /no "model"/],
      [searchBot.clone({ name: 'SearchBot' }), /"name" must be lowercase/],
    ];
    for (const [agent, message] of cases) {
      expect(() => agentResource(agent)).toThrow(AgentDefinitionError);
      expect(() => agentResource(agent)).toThrow(message);
    }
  });
});
