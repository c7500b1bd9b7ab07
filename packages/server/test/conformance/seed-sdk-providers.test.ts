/**
 * "Gemini generateContent and Anthropic Messages as providers", done: the OFFICIAL SDKs (`@google/genai` 3.1 and
 * 3.6 on the steps revision, 1.52 on legacy) run the seeds' examples against our server with `provider: 'gemini'` and
 * with `provider: 'anthropic'`, each in front of its local FAKE upstream (test/fakes/gemini-upstream.ts,
 * anthropic-upstream.ts: the documented wire formats, answers from rules). Text, conversations (stateful and
 * stateless), function calling, streaming, structured output, thinking — and for Gemini image and speech
 * generation. The fakes refuse a replayed call or thinking block whose signature is not the one they gave, so
 * the stateless examples also prove the signatures round-trip byte for byte.
 */
import type { GoogleGenAI, Interactions as StepsTypes } from '@google/genai';
import { GoogleGenAI as LegacyGoogleGenAI } from 'genai-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnthropicUpstream, startAnthropicUpstream } from '../fakes/anthropic-upstream.ts';
import { type GeminiUpstream, startGeminiUpstream } from '../fakes/gemini-upstream.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { STEPS_SDKS, sdkVersion } from './steps-sdks.ts';
import { API_KEY, LEGACY_REVISION } from './support.ts';

type Steps = StepsTypes.Step[];
const MODEL = 'gemini-3-flash-preview';
const MEETING = 'Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.';
const meetingTool = {
  type: 'function' as const,
  name: 'schedule_meeting',
  description: 'Schedules a meeting with specified attendees at a given time and date.',
  parameters: {
    type: 'object',
    properties: {
      attendees: { type: 'array', items: { type: 'string' } },
      date: { type: 'string' },
      time: { type: 'string' },
      topic: { type: 'string' },
    },
    required: ['attendees', 'date', 'time', 'topic'],
  },
};
const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Gets the weather for a given location.',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
const moderationSchema = z.object({
  decision: z.union([
    z.object({
      reason: z.string(),
      spam_type: z.enum(['phishing', 'scam', 'unsolicited promotion', 'other']),
    }),
    z.object({ summary: z.string(), is_safe: z.boolean() }),
  ]),
});
const MODERATE =
  "Moderate the following content: 'Congratulations! You've won a free cruise. Click here to claim your prize: www.definitely-not-a-scam.com'";

const lastText = (steps: Steps): string => {
  const last = steps.at(-1);
  if (last?.type !== 'model_output') return '';
  return (last.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('');
};
const outputContent = (steps: Steps) =>
  steps.flatMap((s) => (s.type === 'model_output' ? (s.content ?? []) : []));

interface Subject {
  name: 'gemini' | 'anthropic';
  start(): Promise<{ url: string; close(): Promise<void>; count(): number }>;
}

const subjects: Subject[] = [
  {
    name: 'gemini',
    async start() {
      const fake: GeminiUpstream = await startGeminiUpstream();
      return { url: fake.url, close: () => fake.close(), count: () => fake.requests.length };
    },
  },
  {
    name: 'anthropic',
    async start() {
      const fake: AnthropicUpstream = await startAnthropicUpstream();
      return { url: fake.url, close: () => fake.close(), count: () => fake.requests.length };
    },
  },
];

/** Each provider under each steps-era SDK. */
const cases = STEPS_SDKS.flatMap(([version, Sdk]) => subjects.map((subject) => ({ version, Sdk, subject })));

for (const { version, Sdk, subject } of cases) {
  describe(`@google/genai ${version} → our server → ${subject.name} provider → fake upstream`, () => {
    let upstream: Awaited<ReturnType<Subject['start']>>;
    let api: TestServer;
    let client: GoogleGenAI;
    let legacy: LegacyGoogleGenAI;
    const L = { headers: { 'Api-Revision': LEGACY_REVISION } };
    beforeAll(async () => {
      upstream = await subject.start();
      api = await startServer({
        apiKeys: [API_KEY],
        provider: subject.name,
        providerOptions: { baseUrl: upstream.url },
        builtins: false,
        mcp: false,
      });
      client = new Sdk({ apiKey: API_KEY, httpOptions: { baseUrl: api.url } });
      legacy = new LegacyGoogleGenAI({
        apiKey: API_KEY,
        httpOptions: { baseUrl: api.url, apiVersion: 'v1beta' },
      });
    });
    afterAll(async () => {
      await api?.close();
      await upstream?.close();
    });

    it(`is SDK ${version}`, () =>
      expect(sdkVersion(version)).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.`)));

    it('basic interaction (both SDK generations)', async () => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: 'Tell me a short joke about programming.',
      });
      expect(interaction.status).toBe('completed');
      expect(interaction.output_text).toMatch(/bugs/);
      expect(interaction.usage?.total_tokens).toBeGreaterThan(0);
      const old = await legacy.interactions.create(
        { model: MODEL, input: 'Tell me a short joke about programming.' },
        L,
      );
      const last = old.outputs?.at(-1);
      expect(last?.type === 'text' && last.text).toMatch(/bugs/);
    });

    it('stateful conversation (previous_interaction_id), then stateless Step[] history', async () => {
      const first = await client.interactions.create({ model: MODEL, input: 'Hi, my name is Phil.' });
      const second = await client.interactions.create({
        model: MODEL,
        input: 'What is my name?',
        previous_interaction_id: first.id,
      });
      expect(lastText(second.steps)).toBe('Your name is Phil.');

      const history: Steps = [
        {
          type: 'user_input',
          content: [{ type: 'text', text: 'What are the three largest cities in Spain?' }],
        },
      ];
      const one = await client.interactions.create({ model: MODEL, input: history, store: false });
      history.push(...one.steps, {
        type: 'user_input',
        content: [{ type: 'text', text: 'What is the most famous landmark in the second one?' }],
      });
      const two = await client.interactions.create({ model: MODEL, input: history, store: false });
      expect(lastText(two.steps)).toMatch(/Barcelona.*Sagrada Família/);
    });

    it('function calling, client-side state (store:false, full Step[] history resent with its signatures)', async () => {
      const history: Steps = [{ type: 'user_input', content: [{ type: 'text', text: MEETING }] }];
      const interaction = await client.interactions.create({
        model: MODEL,
        input: history,
        tools: [meetingTool],
        store: false,
      });
      expect(interaction.status).toBe('requires_action');
      history.push(...interaction.steps);
      const fc = interaction.steps.find((s) => s.type === 'function_call');
      if (fc?.type !== 'function_call') throw new Error('no call');
      expect(fc.arguments).toEqual({
        attendees: ['Peter', 'Amir'],
        date: '2025-11-01',
        time: '10 am',
        topic: 'Next Gen API',
      });
      // The SDK's type has no signature on a call; the wire does (and the fake upstream checks it comes back).
      if (subject.name === 'gemini') expect((fc as { signature?: string }).signature).toMatch(/^gemini:/);
      history.push({
        type: 'function_result',
        name: fc.name,
        call_id: fc.id,
        result: 'Meeting scheduled successfully.',
      });
      const done = await client.interactions.create({
        model: MODEL,
        input: history,
        tools: [meetingTool],
        store: false,
      });
      expect(done.status).toBe('completed');
      expect(lastText(done.steps)).toContain('Meeting scheduled successfully.');
    });

    it('function calling with server-side state, on the legacy SDK', async () => {
      let interaction = await legacy.interactions.create(
        { model: MODEL, input: 'What is the weather in Paris?', tools: [weatherTool] },
        L,
      );
      expect(interaction.status).toBe('requires_action');
      const fc = interaction.outputs?.find((o) => o.type === 'function_call');
      if (fc?.type !== 'function_call') throw new Error('no call');
      expect(fc.arguments).toEqual({ location: 'Paris' });
      interaction = await legacy.interactions.create(
        {
          model: MODEL,
          previous_interaction_id: interaction.id,
          input: [
            {
              type: 'function_result',
              name: fc.name,
              call_id: fc.id,
              result: 'The weather in Paris is sunny.',
            },
          ],
          tools: [weatherTool],
        },
        L,
      );
      expect(interaction.status).toBe('completed');
      const last = interaction.outputs?.at(-1);
      expect(last?.type === 'text' && last.text).toContain('The weather in Paris is sunny.');
    });

    it('streaming: text deltas, and a function call whose arguments stream', async () => {
      const stream = await client.interactions.create({
        model: MODEL,
        input: 'Explain quantum entanglement in simple terms.',
        stream: true,
      });
      let text = '';
      let deltas = 0;
      for await (const chunk of stream) {
        if (chunk.event_type === 'step.delta' && chunk.delta.type === 'text') {
          text += chunk.delta.text;
          deltas += 1;
        }
      }
      expect(text).toMatch(/entangle/i);
      expect(deltas).toBeGreaterThan(1);

      const calls = await client.interactions.create({
        model: MODEL,
        input: 'What is the weather in Paris?',
        tools: [weatherTool],
        stream: true,
      });
      const fragments: string[] = [];
      let status: string | undefined;
      for await (const chunk of calls) {
        if (chunk.event_type === 'step.delta' && chunk.delta.type === 'arguments_delta')
          fragments.push(chunk.delta.arguments ?? '');
        if (chunk.event_type === 'interaction.completed') status = chunk.interaction.status;
      }
      expect(status).toBe('requires_action');
      expect(JSON.parse(fragments.join(''))).toEqual({ location: 'Paris' });
    });

    it('structured output: response_format with a schema', async () => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: MODERATE,
        response_format: {
          type: 'text',
          mime_type: 'application/json',
          schema: z.toJSONSchema(moderationSchema),
        },
      });
      moderationSchema.parse(JSON.parse(lastText(interaction.steps)));
    });

    it('thinking: a thought step with the reasoning, then the answer', async () => {
      const thinking = await client.interactions.create({
        model: MODEL,
        input: 'Solve this step by step: What is 15% of 240?',
        generation_config: { thinking_level: 'high', thinking_summaries: 'auto' },
      });
      expect(thinking.steps.map((s) => s.type)).toEqual(['thought', 'model_output']);
      const thought = thinking.steps[0];
      expect(thought?.type === 'thought' && thought.summary?.length).toBeGreaterThan(0);
      expect(lastText(thinking.steps)).toMatch(/\b36\b/);
      if (subject.name === 'anthropic') {
        // Claude's signed thinking goes back on the next turn; the fake refuses any byte changed.
        expect(thought?.type === 'thought' && thought.signature).toMatch(/^anthropic:/);
        const next = await client.interactions.create({
          model: MODEL,
          input: 'What is 10% of 240?',
          previous_interaction_id: thinking.id,
          generation_config: { thinking_level: 'high' },
        });
        expect(next.status).toBe('completed');
      }
    });

    if (subject.name === 'gemini') {
      it('image generation (response_format image; legacy response_modalities and image_config)', async () => {
        const interaction = await client.interactions.create({
          model: 'gemini-3-pro-image-preview',
          input: 'Generate an image of a futuristic city.',
          response_format: { type: 'image', aspect_ratio: '9:16', image_size: '2K' },
        });
        const images = outputContent(interaction.steps).filter((c) => c.type === 'image');
        expect(images).toHaveLength(1);
        expect(interaction.output_image).toEqual(images[0]);
        const image = images[0];
        expect(
          Buffer.from((image?.type === 'image' && image.data) || '', 'base64')
            .subarray(1, 4)
            .toString(),
        ).toBe('PNG');
        for (const extra of [
          { response_modalities: ['image' as const] },
          {
            generation_config: { image_config: { aspect_ratio: '9:16' as const, image_size: '2K' as const } },
          },
        ]) {
          const old = await legacy.interactions.create(
            {
              model: 'gemini-3-pro-image-preview',
              input: 'Generate an image of a futuristic city.',
              ...extra,
            },
            L,
          );
          expect((old.outputs ?? []).filter((o) => o.type === 'image')).toHaveLength(1);
        }
      });

      it('speech generation (one voice; the legacy seed form too)', async () => {
        const speech = await client.interactions.create({
          model: 'gemini-2.5-flash-preview-tts',
          input: 'Say the following: WOOHOO This is so much fun!.',
          response_format: { type: 'audio' },
          generation_config: { speech_config: [{ language: 'en-us', voice: 'kore' }] },
        });
        const audio = outputContent(speech.steps).find((c) => c.type === 'audio');
        expect(audio?.type === 'audio' && audio.mime_type).toMatch(/^audio\//);
        expect(Buffer.from((audio?.type === 'audio' && audio.data) || '', 'base64').length).toBeGreaterThan(
          0,
        );
        const old = await legacy.interactions.create(
          {
            model: 'gemini-2.5-flash-preview-tts',
            input: 'Say the following: WOOHOO This is so much fun!.',
            response_modalities: ['audio'],
            generation_config: { speech_config: { language: 'en-us', voice: 'kore' } as never },
          },
          L,
        );
        expect((old.outputs ?? []).find((o) => o.type === 'audio')?.mime_type).toMatch(/^audio\//);
      });
    }
  });
}
