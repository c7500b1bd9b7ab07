/**
 * SDK 3.6's statuses as a flow sees them, against the REAL server over loopback: a background step that waits
 * `queued` for a slot (the server's `maxBackgroundRuns`) is followed through `queued` → `in_progress` to its
 * end, and an agent step that runs out of its budget ends the step `budget_exceeded`, with what it made.
 */
import { fileURLToPath } from 'node:url';
import { InteractionsClient } from '@interplay/client';
import { createInteractionsServer, type InteractionsServer } from '@interplay/server';
import { afterEach, describe, expect, it } from 'vitest';
import { agentStep, chain, modelStep } from '../src/index.ts';

const CORPUS = fileURLToPath(new URL('../../server/assets/search-corpus.jsonl', import.meta.url));

const servers: InteractionsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof createInteractionsServer>[0]): Promise<string> {
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    shutdownGraceMs: 50,
    ...options,
  });
  servers.push(server);
  return (await server.listen()).url;
}

const clientFor = (url: string) =>
  new InteractionsClient({
    baseUrl: url,
    apiVersion: 'v1beta',
    apiKey: 'k',
    revision: 'steps',
    maxRetries: 0,
  });

/** Statuses in order, each once where it repeats (the create and its first status_update tell the same). */
const changes = (statuses: string[]) => statuses.filter((s, i) => s !== statuses[i - 1]);

describe('statuses in a flow', () => {
  it('follows a background step through queued, then in_progress, to completed', async () => {
    const url = await start({
      maxBackgroundRuns: 1,
      script: {
        delay_ms: 5,
        rules: [
          {
            when: { input: 'hold' },
            respond: [{ type: 'text', text: 'held the slot for a while '.repeat(8) }],
          },
          { respond: [{ type: 'text', text: 'Tea came from China.' }] },
        ],
      },
    });
    const client = clientFor(url);
    // Takes the only slot, so the flow's step must wait for it.
    const holder = await client.create({ model: 'm', input: 'hold', background: true });
    expect(holder.interaction.status).toBe('in_progress');

    const research = modelStep({ name: 'research', model: 'm', background: true });
    const handle = await chain(research).start(client, 'Where does tea come from?');
    const statuses: string[] = [];
    handle.on('status', (e) => statuses.push(e.status));
    const result = await handle.result();

    expect(result.status).toBe('completed');
    expect(result.steps.research?.status).toBe('completed');
    expect(result.text).toBe('Tea came from China.');
    expect(changes(statuses)).toEqual(['queued', 'in_progress', 'completed']);
    // The holder had ended when the step got its slot.
    expect((await client.get(holder.interaction.id)).interaction.status).toBe('completed');
  });

  it('ends an agent step budget_exceeded, keeping what the agent made', async () => {
    const url = await start({
      builtins: { searchCorpusPath: CORPUS },
      deepResearch: { budget: { maxTotalTokens: 1 } },
    });
    const research = agentStep({
      name: 'research',
      agent: 'deep-research-preview-04-2026',
      agentConfig: { thinking_summaries: 'auto' },
    });
    const result = await chain(research)
      .start(clientFor(url), 'How did TPUs evolve?')
      .then((h) => h.result());

    const step = result.steps.research;
    expect(step?.status).toBe('budget_exceeded');
    expect(step?.usage.total_tokens).toBeGreaterThan(1);
    expect(step?.output.map((item) => item.type)).toContain('thought');
    expect(step?.error?.code).toBe('interaction_budget_exceeded');
    // A flow cannot go on from a step that did not finish its work.
    expect(result.status).toBe('failed');
    expect(result.error?.step).toBe('research');
  });
});
