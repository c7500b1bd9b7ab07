/**
 * The official SDKs against this server: @google/genai 3.1 and 3.6 speak the steps revision, 1.52 the legacy one.
 * Create (unary and streamed), get (unary, streamed, resumed), background + cancel, delete.
 */
import type { GoogleGenAI } from '@google/genai';
import { GoogleGenAI as LegacyGoogleGenAI } from 'genai-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS_SDKS } from './conformance/steps-sdks.ts';
import { closeAll, manyWords, startServer, type TestServer, textScript, waitFor } from './helpers/server.ts';

afterAll(closeAll);

const ANSWER = 'Hello there, friend.';

describe.each(STEPS_SDKS)('@google/genai %s (steps)', (_version, Sdk) => {
  let t: TestServer;
  let ai: GoogleGenAI;
  beforeAll(async () => {
    t = await startServer({
      apiKeys: ['sdk-key'],
      script: {
        delay_ms: 0,
        rules: [
          { when: { input: 'slow' }, respond: [{ type: 'text', text: manyWords(500) }] },
          { respond: [{ type: 'text', text: ANSWER }] },
        ],
      },
    });
    ai = new Sdk({ apiKey: 'sdk-key', httpOptions: { baseUrl: t.url } });
  });

  it('create, get, stream, resume, delete', async () => {
    const created = await ai.interactions.create({ model: 'gemini-3-flash-preview', input: 'Hi' });
    expect(created.status).toBe('completed');
    expect(created.steps.at(-1)).toEqual({ type: 'model_output', content: [{ type: 'text', text: ANSWER }] });

    const got = await ai.interactions.get(created.id as string);
    expect(got.steps[0]).toEqual({ type: 'user_input', content: [{ type: 'text', text: 'Hi' }] });

    const stream = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'Hi',
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    let id = '';
    const eventIds: string[] = [];
    for await (const e of stream) {
      types.push(e.event_type);
      if (e.event_id) eventIds.push(e.event_id);
      if (e.event_type === 'interaction.created') id = e.interaction.id as string;
      if (e.event_type === 'step.delta' && e.delta.type === 'text') text += e.delta.text;
    }
    expect(text).toBe(ANSWER);
    expect(types[0]).toBe('interaction.created');
    expect(types.at(-1)).toBe('interaction.completed');

    const resumed = await ai.interactions.get(id, { stream: true, last_event_id: eventIds[3] });
    const after: string[] = [];
    for await (const e of resumed) after.push(e.event_id as string);
    expect(after).toEqual(eventIds.slice(4));

    await ai.interactions.delete(id);
    await expect(ai.interactions.get(id)).rejects.toThrow();
  });

  it('background + cancel', async () => {
    const slow = await startServer({ apiKeys: ['sdk-key'], script: textScript(manyWords(500), 10) });
    const client = new Sdk({ apiKey: 'sdk-key', httpOptions: { baseUrl: slow.url } });
    const started = await client.interactions.create({ model: 'm', input: 'slow', background: true });
    expect(started.status).toBe('in_progress');
    const cancelled = await client.interactions.cancel(started.id as string);
    expect(cancelled.status).toBe('cancelled');
  });
});

describe('@google/genai 1.52 (legacy)', () => {
  let t: TestServer;
  let ai: LegacyGoogleGenAI;
  beforeAll(async () => {
    t = await startServer({ apiKeys: ['sdk-key'], defaultRevision: 'legacy', script: textScript(ANSWER) });
    ai = new LegacyGoogleGenAI({ apiKey: 'sdk-key', httpOptions: { baseUrl: t.url, apiVersion: 'v1beta' } });
  });

  it('create, get with include_input, stream, resume, delete', async () => {
    const created = await ai.interactions.create({ model: 'gemini-3-flash-preview', input: 'Hi' });
    expect(created.status).toBe('completed');
    expect(created.outputs).toEqual([{ type: 'text', text: ANSWER }]);
    const got = await ai.interactions.get(created.id, { include_input: true });
    expect(got.input).toEqual([{ type: 'text', text: 'Hi' }]);

    const stream = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'Hi',
      stream: true,
    });
    let text = '';
    let id = '';
    const eventIds: string[] = [];
    for await (const e of stream) {
      if (e.event_id) eventIds.push(e.event_id);
      if (e.event_type === 'interaction.start') id = e.interaction.id;
      if (e.event_type === 'content.delta' && e.delta.type === 'text') text += e.delta.text;
    }
    expect(text).toBe(ANSWER);
    const resumed = await ai.interactions.get(id, { stream: true, last_event_id: eventIds[2] });
    const after: string[] = [];
    for await (const e of resumed) after.push(e.event_id as string);
    expect(after).toEqual(eventIds.slice(3));

    await ai.interactions.delete(id);
    await expect(ai.interactions.get(id)).rejects.toThrow(/404/);
  });

  it('background, then GET until completed', async () => {
    const started = await ai.interactions.create({ model: 'm', input: 'Hi', background: true });
    const done = await waitFor(async () => {
      const r = await ai.interactions.get(started.id);
      return r.status === 'completed' ? r : undefined;
    });
    expect(done.outputs?.[0]).toEqual({ type: 'text', text: ANSWER });
  });
});
