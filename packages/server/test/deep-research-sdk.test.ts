/**
 * Deep Research's `agent_config` through SDK 3.6 on our server (offline: the search corpus, the scripted
 * model): `collaborative_planning` returns the plan for approval before any research; approving it runs the
 * research with `thinking_summaries` (thought steps) and `visualization` (a PNG figure before the report,
 * drawn by the server). A server-side token budget ends a run `budget_exceeded`.
 */

import { InteractionsClient } from '@interplay/client';
import { GoogleGenAI } from 'genai-3-6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicCoverage } from '../src/agents/deep-research/chart.ts';
import { closeAll, startServer, type TestServer } from './helpers/server.ts';

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
afterAll(async () => {
  await server.close();
  await closeAll();
});

type Output = {
  type: string;
  content?: { type: string; mime_type?: string; data?: string; text?: string }[];
};

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
    const outputs = steps.filter((s) => s.type === 'model_output') as Output[];
    expect(outputs.at(-2)?.content).toHaveLength(1);
    const figure = outputs.at(-2)?.content?.[0];
    expect(figure).toMatchObject({ type: 'image', mime_type: 'image/png' });
    const png = Buffer.from(figure?.data as string, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(480); // width, from the IHDR chunk
    // The report is the last step, as the docs read it (steps[-1].content[0].text).
    const last = steps.at(-1) as { type: string; content?: { type: string; text?: string }[] };
    expect(last.type).toBe('model_output');
    expect(last.content?.[0]?.text).toMatch(/TPU/);
  });

  it('draws no figure with visualization off', async () => {
    const created = await ai.interactions.create({
      agent: AGENT,
      input: 'Research the history of Google TPUs',
      background: true,
      agent_config: { type: 'deep-research', visualization: 'off' },
    });
    const done = (await client.wait(created.id as string)).raw;
    const outputs = (done.steps ?? []).filter((s) => s.type === 'model_output');
    expect(outputs).toHaveLength(1);
    expect(JSON.stringify(outputs)).not.toContain('image/png');
  });

  it('ends budget_exceeded past the server-side token budget, keeping what it made', async () => {
    const tight = await startServer({
      builtins: { searchCorpusPath: SEARCH_CORPUS },
      deepResearch: { budget: { maxTotalTokens: 1 } },
    });
    const sdk = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: tight.url } });
    const created = await sdk.interactions.create({
      agent: AGENT,
      input: 'How did TPUs evolve?',
      background: true,
      agent_config: { type: 'deep-research', thinking_summaries: 'auto' },
    });
    const waiter = new InteractionsClient({
      baseUrl: tight.url,
      apiVersion: 'v1beta',
      apiKey: 'k',
      revision: 'steps',
    });
    const done = (await waiter.wait(created.id as string)).raw;
    expect(done.status).toBe('budget_exceeded');
    expect(done.usage?.total_tokens).toBeGreaterThan(1);
    // The plan was made (its summary kept); nothing was searched and no report written.
    const types = (done.steps ?? []).map((s) => s.type);
    expect(types).toContain('thought');
    expect(types).not.toContain('google_search_call');
    expect(types).not.toContain('model_output');
    expect((await sdk.interactions.get(created.id as string)).status).toBe('budget_exceeded');
  });
});

describe('the figure', () => {
  it('measures how many of the topic’s key terms (4+ letters) each source covers', () => {
    expect(
      topicCoverage([{ text: 'TPU pods scale well' }, { text: 'GPUs' }, { text: '' }], 'TPU pods'),
    ).toEqual([1, 0, 0]);
    expect(
      topicCoverage([{ text: 'Tensor pods scale well' }, { text: 'GPUs' }], 'tensor pods history'),
    ).toEqual([2, 0]);
  });
});
