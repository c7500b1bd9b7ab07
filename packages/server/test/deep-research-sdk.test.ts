/**
 * Deep Research's `agent_config` through SDK 3.6 on our server (offline: the search corpus, the scripted
 * model): `collaborative_planning` returns the plan for approval before any research; approving it runs the
 * research with `thinking_summaries` (thought steps) and `visualization` (a PNG figure before the report).
 */

import { InteractionsClient } from '@interplay/client';
import { GoogleGenAI } from 'genai-3-6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';

const SEARCH_CORPUS = new URL('../assets/search-corpus.jsonl', import.meta.url).pathname;
const AGENT = 'deep-research-preview-04-2026';
let server: TestServer;
let ai: GoogleGenAI;
let client: InteractionsClient<'steps'>;

beforeAll(async () => {
  server = await startServer({ builtins: { searchCorpusPath: SEARCH_CORPUS } });
  ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: server.url } });
  client = new InteractionsClient({
    baseUrl: server.url,
    apiVersion: 'v1beta',
    apiKey: 'k',
    revision: 'steps',
  });
});
afterAll(() => server.close());

describe('Deep Research agent_config (SDK 3.6)', () => {
  it('plans for approval, then researches with thought summaries and a figure', async () => {
    const planned = await ai.interactions.create({
      agent: AGENT,
      input: 'Research the history of Google TPUs',
      background: true,
      agent_config: { type: 'deep-research', collaborative_planning: true },
    });
    const plan = (await client.wait(planned.id as string)).raw;
    expect(plan.status).toBe('completed');
    const planSteps = (plan.steps ?? []).map((s) => s.type);
    expect(planSteps).not.toContain('google_search_call');
    const planText = JSON.stringify(plan.steps?.at(-1));
    expect(planText).toContain('collaborative_planning');

    const approved = await ai.interactions.create({
      agent: AGENT,
      input: 'The plan looks good, go ahead.',
      previous_interaction_id: planned.id,
      background: true,
      agent_config: {
        type: 'deep-research',
        collaborative_planning: false,
        thinking_summaries: 'auto',
        visualization: 'auto',
      },
    });
    const done = (await client.wait(approved.id as string)).raw;
    expect(done.status).toBe('completed');
    const steps = done.steps ?? [];
    const types = steps.map((s) => s.type);
    expect(types).toContain('thought');
    expect(types).toContain('google_search_call');
    const outputs = steps.filter((s) => s.type === 'model_output') as {
      content?: { type: string; mime_type?: string }[];
    }[];
    const figure = outputs.at(-2)?.content?.[0];
    expect(figure).toMatchObject({ type: 'image', mime_type: 'image/png' });
    // The report is the last step, as the docs read it (steps[-1].content[0].text).
    const last = steps.at(-1) as { type: string; content?: { type: string; text?: string }[] };
    expect(last.type).toBe('model_output');
    expect(last.content?.[0]?.text).toMatch(/TPU/);
  });
});
